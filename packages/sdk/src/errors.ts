import { isErrorCode, type ErrorCode } from '@canon/api'

/** Failures the client detects itself, without a server response carrying a code. */
export type ClientErrorCode = 'UNREACHABLE' | 'UNEXPECTED_RESPONSE' | 'SIZE_MISMATCH' | 'INTERRUPTED' | 'STALLED' | 'NO_FILES' | 'UNSAFE_PATH'

/**
 * Every failure the SDK reports. `code` is the server's wire code (e.g. MODEL_NOT_FOUND) or a client code;
 * `status` is the HTTP status, or 0 when the failure was detected on the client (network, verification).
 */
export class CanonApiError extends Error {
  override name = 'CanonApiError'

  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly requestId?: string,
  ) {
    super(message)
  }
}

export function isCanonApiError(error: unknown, code?: CanonApiError['code']): error is CanonApiError {
  return error instanceof CanonApiError && (code === undefined || error.code === code)
}

/** Rebuilds the server's error from a non-2xx response; bodies that are not Canon errors still get a useful message. */
export async function errorFromResponse(response: Response, what: string): Promise<CanonApiError> {
  const requestId = response.headers.get('x-request-id') ?? undefined
  const text = await response.text().catch(() => '')
  const body = parseJson(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined
  const wire = body?.error
  if (wire && isErrorCode(wire.code) && typeof wire.message === 'string') {
    const details = typeof wire.details === 'object' && wire.details !== null ? (wire.details as Record<string, unknown>) : undefined
    return new CanonApiError(response.status, wire.code, wire.message, details, requestId)
  }
  const excerpt = text.trim().slice(0, 200)
  return new CanonApiError(
    response.status,
    'UNEXPECTED_RESPONSE',
    `${what} failed with HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
    { status: response.status },
    requestId,
  )
}

/** Turns fetch's opaque "fetch failed" into a message naming the server and the reason. */
export function networkError(error: unknown, url: string): CanonApiError {
  if (error instanceof CanonApiError) return error
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause
  if (cause?.code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH') {
    return new CanonApiError(0, 'SIZE_MISMATCH', 'The upload ended at a different length than declared; did the file change while it was being uploaded?', { url })
  }
  const reason = cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)
  const origin = safeOrigin(url)
  return new CanonApiError(0, 'UNREACHABLE', `Cannot reach the Canon server at ${origin} (${reason}); is it running, and is --url / CANON_URL right?`, {
    url,
    reason,
  })
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined
  } catch {
    return undefined
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}
