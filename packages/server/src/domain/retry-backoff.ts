// When a failed delivery is tried again: exponential backoff with jitter, capped, never sooner than Retry-After asks.

export interface RetryPolicy {
  /** attempts in all, the first included */
  maxAttempts: number
  /** the wait before the second attempt; each later wait doubles */
  baseDelayMs: number
  maxDelayMs: number
}

/** A receiver's answer that says "try later" (timeouts and network errors count too); anything else is final. */
export function isRetryable(statusCode: number | null): boolean {
  return statusCode === null || statusCode === 429 || statusCode >= 500
}

/** Delay before attempt `attempt + 1`: half the exponential step fixed, half random ("equal jitter"), so instances spread out. */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs: number | null, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1))
  const jittered = step / 2 + random() * (step / 2)
  return Math.round(Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0)))
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}
