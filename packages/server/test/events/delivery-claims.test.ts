import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, openTestStore } from '../support/backends'
import type { MetadataStore } from '../../src/store/metadata-store'
import { loadConfig } from '../../src/config'

// The outbox's claim protocol, on the store itself: a claim is one attempt, a dead sender's lease runs out, and a
// sender whose delivery was taken over cannot settle it.

describe.each(backends)('delivery claims on %s', (backend) => {
  let store: MetadataStore
  let cleanup: () => Promise<void>
  const T = 1_000_000

  beforeAll(async () => {
    ;({ store, cleanup } = await openTestStore(backend))
    await store.webhooks.insert({ id: 'w1', name: 'w', description: '', url: 'http://127.0.0.1:9/', events: '["*"]', model: null, secret: 's'.repeat(20), status: 'active', format: 'canon', created_at: T, created_by: 't', updated_at: T })
  })
  afterAll(() => cleanup?.())

  const claim = (now: number, lease: number) => store.transaction((tx) => tx.webhooks.claimDue(now, 10, lease))

  it('claims a due delivery once per attempt, takes it over when the lease runs out, and ignores the stale sender', async () => {
    await store.webhooks.enqueue([{ id: 'd1', webhookId: 'w1', event: 'model.created', body: '{}', at: T }])
    expect(await claim(T - 1, T + 100)).toEqual([]) // not due yet
    const [first] = await claim(T, T + 100)
    expect(first).toMatchObject({ id: 'd1', attempt: 1, url: 'http://127.0.0.1:9/', secret: 's'.repeat(20) })
    expect(await claim(T + 50, T + 150)).toEqual([]) // claimed and leased: nobody else takes it
    const [takeover] = await claim(T + 100, T + 200) // the first sender died: its lease ran out
    expect(takeover).toMatchObject({ id: 'd1', attempt: 2 })

    await store.webhooks.settle('d1', 1, 'succeeded', T + 120, T + 120) // the stale sender changes nothing
    expect(await store.webhooks.delivery('d1')).toMatchObject({ status: 'sending', attempts: 2 })
    await store.webhooks.settle('d1', 2, 'pending', T + 500, T + 130)
    expect(await claim(T + 499, T + 600)).toEqual([])
    expect(await claim(T + 500, T + 600)).toEqual([expect.objectContaining({ id: 'd1', attempt: 3 })])
    await store.webhooks.settle('d1', 3, 'failed', T + 510, T + 510)
    expect(await claim(T + 10_000, T + 20_000)).toEqual([])
  })

  it('cascades deliveries when their webhook is deleted', async () => {
    await store.webhooks.enqueue([{ id: 'd2', webhookId: 'w1', event: 'model.created', body: '{}', at: T }])
    expect(await store.webhooks.delete('w1')).toBe(true)
    expect(await store.webhooks.delivery('d2')).toBeUndefined()
  })
})

describe('webhook settings', () => {
  it('reads CANON_WEBHOOK_* and refuses values out of range', () => {
    expect(loadConfig({}, { CANON_WEBHOOK_POLL_MS: '250', CANON_WEBHOOK_MAX_ATTEMPTS: '3' }).webhooks).toMatchObject({ pollMs: 250, maxAttempts: 3, timeoutMs: 10_000 })
    expect(() => loadConfig({}, { CANON_WEBHOOK_MAX_ATTEMPTS: '0' })).toThrow('CANON_WEBHOOK_MAX_ATTEMPTS=0: expected a whole number from 1 to 100.')
    expect(() => loadConfig({}, { CANON_WEBHOOK_TIMEOUT_MS: 'soon' })).toThrow(/CANON_WEBHOOK_TIMEOUT_MS/)
  })
})
