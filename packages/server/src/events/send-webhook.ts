import { signPayload } from '../domain/webhook-signature'
import { parseRetryAfter } from '../domain/retry-backoff'
import { CANON_VERSION } from '../version'

const SNIPPET_BYTES = 1024

export interface OutgoingWebhook {
  deliveryId: string
  event: string
  body: string
  attempt: number
  url: string
  secret: string
  /** canon: X-Canon-* headers; mlflow: MLflow's X-MLflow-* headers */
  format: string
}

export interface SendResult {
  statusCode: number | null
  error: string | null
  response: string | null
  durationMs: number
  retryAfterMs: number | null
}

/** The headers a receiver checks: who is calling, which delivery and attempt, when, and the signature over all of it. */
export function webhookHeaders(webhook: OutgoingWebhook, timestamp: string): Record<string, string> {
  const signature = webhook.secret ? signPayload(webhook.secret, webhook.deliveryId, timestamp, webhook.body) : undefined
  const common = { 'content-type': 'application/json', 'user-agent': `Canon-Webhooks/${CANON_VERSION}`, 'x-canon-attempt': String(webhook.attempt) }
  if (webhook.format === 'mlflow') {
    return { ...common, 'x-mlflow-delivery-id': webhook.deliveryId, 'x-mlflow-timestamp': timestamp, ...(signature ? { 'x-mlflow-signature': signature } : {}) }
  }
  return { ...common, 'x-canon-event': webhook.event, 'x-canon-delivery-id': webhook.deliveryId, 'x-canon-timestamp': timestamp, ...(signature ? { 'x-canon-signature': signature } : {}) }
}

/** One HTTP attempt, bounded by `timeoutMs` from connect to the end of the answer's first bytes; never throws. */
export async function sendWebhook(webhook: OutgoingWebhook, timeoutMs: number, clock: () => number): Promise<SendResult> {
  const started = clock()
  const timestamp = String(Math.floor(started / 1000))
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    const response = await fetch(webhook.url, { method: 'POST', body: webhook.body, headers: webhookHeaders(webhook, timestamp), redirect: 'manual', signal })
    const snippet = await readSnippet(response)
    return { statusCode: response.status, error: null, response: snippet, durationMs: clock() - started, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), clock()) }
  } catch (error) {
    const message = signal.aborted ? `timed out after ${timeoutMs} ms` : describe(error)
    return { statusCode: null, error: message, response: null, durationMs: clock() - started, retryAfterMs: null }
  }
}

async function readSnippet(response: Response): Promise<string | null> {
  if (!response.body) return null
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < SNIPPET_BYTES) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.length
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
  const text = Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8')
  return text.length > 0 ? text : null
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  if (cause?.code) return `${cause.code}: ${cause.message ?? 'connection failed'}`.slice(0, 500)
  return String((error as Error).message ?? error).slice(0, 500)
}
