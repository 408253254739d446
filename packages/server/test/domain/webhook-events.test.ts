import { describe, expect, it } from 'vitest'
import { WebhookEvents } from '@canon/api'
import { parseTarget, subscribes, webhookEventOf, checkEventNames, checkWebhookUrl } from '../../src/domain/webhook-events'
import { canonEventData, mlflowEventOf } from '../../src/domain/webhook-payloads'
import { isRetryable, parseRetryAfter, retryDelay } from '../../src/domain/retry-backoff'
import { signPayload, verifySignature } from '../../src/domain/webhook-signature'
import { nextTick } from '../../src/domain/cron-schedule'

describe('webhook events', () => {
  it('maps each audited change a subscriber cares about to one event, and the rest to none', () => {
    expect(webhookEventOf('version.stage')).toBe('version.stage_changed')
    expect(webhookEventOf('version.approval')).toBe('version.approval_decided')
    expect(webhookEventOf('request.create')).toBe('request.opened')
    expect(webhookEventOf('alias.set')).toBe('alias.moved')
    for (const action of ['deployment.create', 'deployment.update', 'deployment.delete']) expect(webhookEventOf(action)).toBe('deployment.changed')
    for (const action of ['token.create', 'user.create', 'blob.gc', 'run.create', 'webhook.create', 'schedule.create']) expect(webhookEventOf(action)).toBeUndefined()
    expect(mlflowEventOf('alias.delete')).toBe('model_version_alias.deleted')
    expect(mlflowEventOf('version.stage')).toBeUndefined()
  })

  it('reads the model from every kind of target, including model names with / and deployments', () => {
    expect(parseTarget('version:team/churn/12')).toEqual({ model: 'team/churn', version: 12 })
    expect(parseTarget('alias:team/churn@champion')).toEqual({ model: 'team/churn', alias: 'champion' })
    expect(parseTarget('request:7')).toEqual({ request: 7 })
    expect(parseTarget('policy:*')).toEqual({})
    const change = { seq: 9, at: 0, actor: 'ana', action: 'deployment.update', target: 'deployment:web', before: null, after: { model: 'churn', environment: 'prod', split: { 3: 90, 4: 10 } }, reason: null }
    expect(canonEventData(change, parseTarget(change.target), undefined)).toMatchObject({ model: 'churn', deployment: 'web', auditSeq: 9, after: { environment: 'prod' } })
  })

  it("matches a subscription by event name or '*', and by its model filter", () => {
    expect(subscribes(['*'], null, 'model.created', 'a')).toBe(true)
    expect(subscribes(['version.created'], null, 'model.created', 'a')).toBe(false)
    expect(subscribes(['*'], 'a', 'model.created', 'b')).toBe(false)
    expect(subscribes(['*'], 'a', 'policy.changed', undefined)).toBe(false)
  })

  it('refuses unknown event names and URLs it cannot call', () => {
    expect(checkEventNames(['model.created', 'model.created', '*'])).toEqual(['model.created', '*'])
    expect(() => checkEventNames(['model.exploded'])).toThrow(/Unknown webhook event/)
    expect(WebhookEvents).toContain('deployment.changed')
    expect(() => checkWebhookUrl('gopher://x')).toThrow(/http/)
    expect(checkWebhookUrl('https://hooks.example.com/canon')).toBe('https://hooks.example.com/canon')
  })
})

describe('retries', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 8000 }

  it('retries timeouts, 429 and 5xx only', () => {
    expect([null, 429, 500, 503].map(isRetryable)).toEqual([true, true, true, true])
    expect([400, 401, 404, 410, 301].map(isRetryable)).toEqual([false, false, false, false, false])
  })

  it('doubles the wait per attempt, with jitter within [half, full], capped, and honours Retry-After', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(policy, n, null, () => 1))).toEqual([1000, 2000, 4000, 8000, 8000])
    expect([1, 2, 3].map((n) => retryDelay(policy, n, null, () => 0))).toEqual([500, 1000, 2000])
    expect(retryDelay(policy, 1, 6000, () => 0)).toBe(6000)
    expect(retryDelay(policy, 1, 60_000, () => 0)).toBe(8000)
    expect(parseRetryAfter('7', 0)).toBe(7000)
    expect(parseRetryAfter(new Date(5000).toUTCString(), 2000)).toBe(3000)
    expect(parseRetryAfter('soon', 0)).toBeNull()
  })
})

describe('signatures and ticks', () => {
  it('signs id.timestamp.body with HMAC-SHA256 as v1,<base64>', () => {
    // computed independently: printf 'd1.1700000000.{}' | openssl dgst -sha256 -hmac k -binary | base64
    expect(signPayload('k', 'd1', '1700000000', '{}')).toBe('v1,DKye34hxfBNOE3kX51AhFcTl35WhINTslX9BB4vUMqQ=')
    expect(verifySignature('k', 'd1', '1700000000', '{}', 'v1,DKye34hxfBNOE3kX51AhFcTl35WhINTslX9BB4vUMqQ=')).toBe(true)
    expect(verifySignature('k', 'd1', '1700000001', '{}', 'v1,DKye34hxfBNOE3kX51AhFcTl35WhINTslX9BB4vUMqQ=')).toBe(false)
  })

  it('reads cron expressions in their time zone', () => {
    const noonUtc = Date.parse('2026-06-01T12:00:00Z')
    expect(new Date(nextTick('0 3 * * *', 'UTC', noonUtc)!).toISOString()).toBe('2026-06-02T03:00:00.000Z')
    // 03:00 in Berlin (summer time, UTC+2) is 01:00 UTC
    expect(new Date(nextTick('0 3 * * *', 'Europe/Berlin', noonUtc)!).toISOString()).toBe('2026-06-02T01:00:00.000Z')
    expect(nextTick('*/15 * * * * *', 'UTC', noonUtc)).toBe(noonUtc + 15_000)
  })
})
