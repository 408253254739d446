import type { ErrorCode } from '@canon/api'

/** A failure a client can act on. It knows its code, never its HTTP status: the HTTP face maps codes to statuses. */
export class CanonError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'CanonError'
  }
}

export const notFound = {
  model: (name: string) => new CanonError('MODEL_NOT_FOUND', `Registered model '${name}' does not exist.`, { model: name }),
  version: (name: string, version: number) =>
    new CanonError('VERSION_NOT_FOUND', `Model '${name}' has no version ${version}.`, { model: name, version }),
  alias: (name: string, alias: string) =>
    new CanonError('ALIAS_NOT_FOUND', `Model '${name}' has no alias '${alias}'.`, { model: name, alias }),
}
