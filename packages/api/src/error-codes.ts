/** Every error Canon reports carries one of these codes; clients switch on the code, never on the message. */
export const ErrorCodes = [
  'INVALID_INPUT',
  'INVALID_JSON',
  'INVALID_NAME',
  'INVALID_PATH',
  'INVALID_URI',
  'INVALID_ALIAS',
  'INVALID_DIGEST',
  'INVALID_CURSOR',
  'INVALID_FILTER',
  'INVALID_RANGE',
  'DIGEST_MISMATCH',
  'MANIFEST_BLOB_UNKNOWN',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'ROUTE_NOT_FOUND',
  'MODEL_NOT_FOUND',
  'VERSION_NOT_FOUND',
  'ALIAS_NOT_FOUND',
  'TAG_NOT_FOUND',
  'BLOB_NOT_FOUND',
  'FILE_NOT_FOUND',
  'EXPERIMENT_NOT_FOUND',
  'RUN_NOT_FOUND',
  'ARTIFACT_NOT_FOUND',
  'USER_NOT_FOUND',
  'TOKEN_NOT_FOUND',
  'GRANT_NOT_FOUND',
  'REQUEST_NOT_FOUND',
  'DEPLOYMENT_NOT_FOUND',
  'DATASET_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'MODEL_EXISTS',
  'MODEL_HAS_PRODUCTION_VERSION',
  'VERSION_IN_PRODUCTION',
  'VERSION_SERVING',
  'DEPLOYMENT_MODEL_MISMATCH',
  'INVALID_SPLIT',
  'EXPERIMENT_EXISTS',
  'USER_EXISTS',
  'INVALID_STATE',
  'POLICY_NOT_SATISFIED',
  'APPROVAL_REQUIRED',
  'NOT_IMPLEMENTED',
  'PAYLOAD_TOO_LARGE',
  'RANGE_NOT_SATISFIABLE',
  'INSUFFICIENT_STORAGE',
  'BLOB_CORRUPTED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ErrorCodes)[number]

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ErrorCodes as readonly string[]).includes(value)
}
