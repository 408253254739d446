import { CanonError } from '../../domain/errors'

const MAX_ECHO = 200

/** Every malformed search input is the caller's to fix: one error code, a message that says what to change. */
export function invalidInput(message: string): CanonError {
  return new CanonError('INVALID_INPUT', message)
}

/** Quotes user text for an error message, cut short so a huge filter cannot bloat the response. */
export function echo(text: string): string {
  return `'${text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text}'`
}
