import { invalidInput } from './invalid-input'

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const DECIMAL_INTEGER = /^\s*[+-]?\d+\s*$/

/**
 * The next-page token MLflow hands out: standard base64 of Python's `json.dumps({"offset": N})`,
 * e.g. offset 100 → `eyJvZmZzZXQiOiAxMDB9`. Clients treat it as opaque; it is byte-identical anyway.
 */
export function encodePageToken(offset: number): string {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new RangeError(`A page token offset is a non-negative integer; got ${offset}`)
  }
  return Buffer.from(`{"offset": ${offset}}`, 'utf8').toString('base64')
}

/** The row offset a page token stands for; 0 when there is no token. */
export function decodePageToken(token: string | undefined): number {
  if (!token) return 0
  const compact = token.replace(/\s+/g, '')
  if (!BASE64.test(compact)) {
    throw invalidInput('Invalid page token, could not base64-decode. Pass back the next_page_token of the previous page unchanged.')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(compact, 'base64').toString('utf8'))
  } catch {
    throw invalidInput('Invalid page token, its content is not JSON. Pass back the next_page_token of the previous page unchanged.')
  }
  const offset = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? toOffset((parsed as Record<string, unknown>).offset) : undefined
  if (offset === undefined) {
    throw invalidInput('Invalid page token, it holds no valid offset. Pass back the next_page_token of the previous page unchanged.')
  }
  return offset
}

// MLflow accepts the offset as a number or a numeric string (Python's int() of it).
function toOffset(value: unknown): number | undefined {
  const number = typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value.trim()) : value
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number || 0 : undefined
}
