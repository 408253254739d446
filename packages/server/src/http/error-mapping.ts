import type { ErrorCode } from '@canon/api'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { CanonError } from '../domain/errors'
import { isDatabaseBusy, isDatabaseUnavailable } from '../store/dialect-errors'
import { codeOfField } from './field-codes'

/** The one place error codes become HTTP statuses; the Record makes every new code ask for one. */
export const statusOf: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  INVALID_JSON: 400,
  INVALID_NAME: 400,
  INVALID_PATH: 400,
  INVALID_URI: 400,
  INVALID_ALIAS: 400,
  INVALID_DIGEST: 400,
  INVALID_CURSOR: 400,
  INVALID_FILTER: 400,
  INVALID_RANGE: 400,
  DIGEST_MISMATCH: 400,
  MANIFEST_BLOB_UNKNOWN: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  ROUTE_NOT_FOUND: 404,
  MODEL_NOT_FOUND: 404,
  VERSION_NOT_FOUND: 404,
  ALIAS_NOT_FOUND: 404,
  TAG_NOT_FOUND: 404,
  BLOB_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  EXPERIMENT_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  ARTIFACT_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  GRANT_NOT_FOUND: 404,
  REQUEST_NOT_FOUND: 404,
  DEPLOYMENT_NOT_FOUND: 404,
  DATASET_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  SCHEDULE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  MODEL_EXISTS: 409,
  MODEL_HAS_PRODUCTION_VERSION: 409,
  VERSION_IN_PRODUCTION: 409,
  VERSION_SERVING: 409,
  DEPLOYMENT_MODEL_MISMATCH: 409,
  INVALID_SPLIT: 400,
  EXPERIMENT_EXISTS: 409,
  USER_EXISTS: 409,
  SCHEDULE_EXISTS: 409,
  INVALID_STATE: 409,
  POLICY_NOT_SATISFIED: 409,
  APPROVAL_REQUIRED: 409,
  NOT_IMPLEMENTED: 501,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  INSUFFICIENT_STORAGE: 507,
  BLOB_CORRUPTED: 500,
  SERVICE_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
  UPLOAD_NOT_FOUND: 404,
  UPLOAD_INCOMPLETE: 409,
  INVALID_PART: 400,
}

const fastifyCodes: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'INVALID_JSON', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'INVALID_JSON', message: "The request says it is JSON but has an empty body; send '{}' or drop the Content-Type header." },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than this server accepts for JSON (1 MiB); upload files as blobs.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: "This endpoint takes 'application/json'." },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'INVALID_INPUT', message: 'Content-Length does not match the body.' },
  FST_ERR_BAD_URL: { code: 'INVALID_PATH', message: "The request path is not valid percent-encoding (a '%' must start %XX of UTF-8 bytes); encode '%' itself as %25." },
}

const FORMAT_RULES = new Set(['minLength', 'maxLength', 'pattern'])


/** Turns anything thrown while serving a request into the stable error shape; never leaks a stack. */
export function toErrorResponse(error: unknown): { status: number; code: ErrorCode; message: string; details?: Record<string, unknown> } {
  if (error instanceof CanonError) return { status: statusOf[error.code], code: error.code, message: error.message, details: error.details }
  const fe = error as FastifyError
  if (fe?.validation) {
    const first = fe.validation[0]
    const where = fe.validationContext ?? 'request'
    const field = first?.instancePath ? `${where}${first.instancePath.replace(/\//g, '.')}` : where
    const code = first && FORMAT_RULES.has(first.keyword) ? (codeOfField(field) ?? 'INVALID_INPUT') : 'INVALID_INPUT'
    return { status: 400, code, message: `${field} ${first?.message ?? 'is invalid'}.`, details: { field, rule: first?.keyword, params: first?.params } }
  }
  const known = fe?.code ? fastifyCodes[fe.code] : undefined
  if (known) return { status: statusOf[known.code], ...known }
  if (error instanceof SyntaxError) return { status: 400, code: 'INVALID_JSON', message: 'The request body is not valid JSON.' }
  if (isDatabaseBusy(error)) {
    return { status: 503, code: 'DATABASE_UNAVAILABLE', message: 'The metadata database is busy with another write; retry shortly.' }
  }
  if (isDatabaseUnavailable(error)) {
    return { status: 503, code: 'DATABASE_UNAVAILABLE', message: 'The metadata database cannot be reached right now; retry shortly.' }
  }
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, code: 'INVALID_INPUT', message: fe.message }
  }
  return { status: 500, code: 'INTERNAL', message: 'Canon hit an unexpected error; the request id in the logs identifies it.' }
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const mapped = toErrorResponse(error)
  if (mapped.status >= 500 && mapped.status !== 503) request.log.error({ err: error, code: mapped.code }, 'request failed')
  else if (mapped.status === 503) request.log.warn({ code: mapped.code, reason: (error as Error)?.message }, 'request refused: retry later')
  closeIfBodyUnread(request, reply)
  reply.header('x-request-id', request.id)
  return reply.status(mapped.status).send({ error: { code: mapped.code, message: mapped.message, ...(mapped.details && { details: mapped.details }) } })
}

/**
 * A request refused before its body was read (a full disk mid-upload, a declared size over the limit, a malformed digest) must not keep the connection:
 * the client is still sending, nobody reads what it sends, and both sides would wait for ever. Closing it ends the upload.
 */
export function closeIfBodyUnread(request: FastifyRequest, reply: FastifyReply): void {
  if (!request.raw.complete) reply.header('connection', 'close')
}
