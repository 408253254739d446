import type { Logger } from 'pino'
import { isRetryable, retryDelay, type RetryPolicy } from '../domain/retry-backoff'
import type { MetadataStore } from '../store/metadata-store'
import type { ClaimedDelivery } from '../store/webhooks.repo'
import { sendWebhook, type SendResult } from './send-webhook'

export interface AttemptDeps {
  store: MetadataStore
  clock: () => number
  log: Logger
}

export type AttemptOutcome = 'succeeded' | 'retrying' | 'failed'

/** Makes one claimed attempt, records it, and settles the delivery: done, failed for good, or due again after a backoff. */
export async function attemptDelivery(deps: AttemptDeps, claimed: ClaimedDelivery, policy: RetryPolicy & { timeoutMs: number }): Promise<{ outcome: AttemptOutcome; result: SendResult }> {
  const startedAt = deps.clock()
  const result = await sendWebhook({ deliveryId: claimed.id, event: claimed.event, body: claimed.body, attempt: claimed.attempt, url: claimed.url, secret: claimed.secret, format: claimed.format }, policy.timeoutMs, deps.clock)
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300
  const outcome: AttemptOutcome = ok ? 'succeeded' : isRetryable(result.statusCode) && claimed.attempt < policy.maxAttempts ? 'retrying' : 'failed'
  const at = deps.clock()
  const nextAttemptAt = outcome === 'retrying' ? at + retryDelay(policy, claimed.attempt, result.retryAfterMs) : at
  await deps.store.transaction(async (tx) => {
    await tx.webhooks.recordAttempt({
      delivery_id: claimed.id,
      attempt: claimed.attempt,
      started_at: startedAt,
      duration_ms: Math.max(0, Math.round(result.durationMs)),
      status_code: result.statusCode,
      error: result.error,
      response_snippet: result.response,
      outcome,
    })
    await tx.webhooks.settle(claimed.id, claimed.attempt, outcome === 'retrying' ? 'pending' : outcome, nextAttemptAt, at)
  })
  deps.log.info({ delivery: claimed.id, event: claimed.event, attempt: claimed.attempt, status: result.statusCode, error: result.error ?? undefined, outcome }, 'webhook attempt')
  return { outcome, result }
}
