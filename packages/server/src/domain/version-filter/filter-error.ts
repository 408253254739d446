import { CanonError } from '../errors'

/** INVALID_FILTER naming the 1-based character where the filter went wrong and what would have fit there. */
export function filterError(offset: number, problem: string, expected: string[], found?: string): CanonError {
  const position = offset + 1
  return new CanonError('INVALID_FILTER', `Invalid filter at character ${position}: ${problem}.`, { position, expected, ...(found !== undefined && { found }) })
}
