import type { RetryPolicy } from '../domain/retry-backoff'

/** How webhooks are delivered; from CANON_WEBHOOK_* settings. */
export interface WebhookSettings extends RetryPolicy {
  /** how often each instance looks for due deliveries and schedule ticks */
  pollMs: number
  /** per attempt: connect, send and read the answer */
  timeoutMs: number
  /** finished deliveries (and their attempts) older than this are deleted */
  retentionMs: number
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = { pollMs: 1000, timeoutMs: 10_000, maxAttempts: 8, baseDelayMs: 5000, maxDelayMs: 3_600_000, retentionMs: 30 * 86_400_000 }
