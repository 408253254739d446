import type { ErrorCode } from '@canon/api'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { toErrorResponse } from '../http/error-mapping'

/** Canon's codes as MLflow clients expect them: MLflow's error_code and the status MLflow sends with it. */
const mlflowCodeOf: Record<ErrorCode, [string, number]> = {
  INVALID_INPUT: ['INVALID_PARAMETER_VALUE', 400],
  INVALID_JSON: ['INVALID_PARAMETER_VALUE', 400],
  INVALID_NAME: ['INVALID_PARAMETER_VALUE', 400],
  INVALID_PATH: ['INVALID_PARAMETER_VALUE', 400],
  INVALID_URI: ['INVALID_PARAMETER_VALUE', 400],
  INVALID_ALIAS: ['INVALID_PARAMETER_VALUE', 400],
  INVALID_DIGEST: ['INVALID_PARAMETER_VALUE', 400],
  INVALID_CURSOR: ['INVALID_PARAMETER_VALUE', 400],
  INVALID_FILTER: ['INVALID_PARAMETER_VALUE', 400],
  INVALID_RANGE: ['INVALID_PARAMETER_VALUE', 400],
  DIGEST_MISMATCH: ['INVALID_PARAMETER_VALUE', 400],
  MANIFEST_BLOB_UNKNOWN: ['INVALID_PARAMETER_VALUE', 400],
  UNSUPPORTED_MEDIA_TYPE: ['INVALID_PARAMETER_VALUE', 400],
  // MLflow answers INVALID_STATE with a 500, which its client retries for a minute; a 400 says the same at once.
  INVALID_STATE: ['INVALID_PARAMETER_VALUE', 400],
  UNAUTHENTICATED: ['UNAUTHENTICATED', 401],
  PERMISSION_DENIED: ['PERMISSION_DENIED', 403],
  ROUTE_NOT_FOUND: ['ENDPOINT_NOT_FOUND', 404],
  MODEL_NOT_FOUND: ['RESOURCE_DOES_NOT_EXIST', 404],
  VERSION_NOT_FOUND: ['RESOURCE_DOES_NOT_EXIST', 404],
  // MLflow's client relies on this: a missing alias is an invalid parameter, not a missing resource.
  ALIAS_NOT_FOUND: ['INVALID_PARAMETER_VALUE', 400],
  TAG_NOT_FOUND: ['RESOURCE_DOES_NOT_EXIST', 404],
  BLOB_NOT_FOUND: ['RESOURCE_DOES_NOT_EXIST', 404],
  FILE_NOT_FOUND: ['RESOURCE_DOES_NOT_EXIST', 404],
  EXPERIMENT_NOT_FOUND: ['RESOURCE_DOES_NOT_EXIST', 404],
  RUN_NOT_FOUND: ['RESOURCE_DOES_NOT_EXIST', 404],
  ARTIFACT_NOT_FOUND: ['RESOURCE_DOES_NOT_EXIST', 404],
  USER_NOT_FOUND: ['RESOURCE_DOES_NOT_EXIST', 404],
  TOKEN_NOT_FOUND: ['RESOURCE_DOES_NOT_EXIST', 404],
  GRANT_NOT_FOUND: ['RESOURCE_DOES_NOT_EXIST', 404],
  REQUEST_NOT_FOUND: ['RESOURCE_DOES_NOT_EXIST', 404],
  METHOD_NOT_ALLOWED: ['ENDPOINT_NOT_FOUND', 405],
  // register_model keys off this code and expects HTTP 400, as MLflow's server sends it.
  MODEL_EXISTS: ['RESOURCE_ALREADY_EXISTS', 400],
  EXPERIMENT_EXISTS: ['RESOURCE_ALREADY_EXISTS', 400],
  USER_EXISTS: ['RESOURCE_ALREADY_EXISTS', 400],
  MODEL_HAS_PRODUCTION_VERSION: ['RESOURCE_CONFLICT', 409],
  VERSION_IN_PRODUCTION: ['RESOURCE_CONFLICT', 409],
  // The model's promotion policy wants a reviewed transition request (or its gates are not met).
  POLICY_NOT_SATISFIED: ['RESOURCE_CONFLICT', 409],
  APPROVAL_REQUIRED: ['RESOURCE_CONFLICT', 409],
  PAYLOAD_TOO_LARGE: ['INVALID_PARAMETER_VALUE', 413],
  RANGE_NOT_SATISFIABLE: ['INVALID_PARAMETER_VALUE', 416],
  NOT_IMPLEMENTED: ['NOT_IMPLEMENTED', 501],
  INSUFFICIENT_STORAGE: ['RESOURCE_EXHAUSTED', 507],
  BLOB_CORRUPTED: ['DATA_LOSS', 500],
  SERVICE_UNAVAILABLE: ['TEMPORARILY_UNAVAILABLE', 503],
  INTERNAL: ['INTERNAL_ERROR', 500],
}

export function sendMlflowError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const mapped = toErrorResponse(error)
  if (mapped.status >= 500 && mapped.code === 'INTERNAL') request.log.error({ err: error }, 'mlflow request failed')
  const [errorCode, status] = mlflowCodeOf[mapped.code]
  return reply.status(status).header('content-type', 'application/json').send({ error_code: errorCode, message: mapped.message })
}
