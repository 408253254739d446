import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client } from '../support/http'
import { WebhookReceiver, waitFor } from '../support/webhook-receiver'
import { verifySignature } from '../../src/domain/webhook-signature'

const EVERY_SECOND = '* * * * * *'

describe.each(backends)('schedules on %s', (backend) => {
  let server: TestServer
  let api: ReturnType<typeof client>
  let receiver: WebhookReceiver
  let hook: { id: string; secret: string }

  beforeAll(async () => {
    server = await startTestServer(backend, { CANON_WEBHOOK_POLL_MS: '20', CANON_WEBHOOK_BACKOFF_MS: '10' })
    api = client(server.url)
    receiver = await new WebhookReceiver().start()
    const created = await api.post('/api/v1/webhooks', { name: 'pipeline', url: `${receiver.url}/train`, events: ['model.created'] })
    hook = { id: created.body.id, secret: created.body.secret }
  })
  afterAll(async () => {
    await server?.stop()
    await receiver?.stop()
  })

  const firesOf = (name: string) => receiver.receipts.filter((r) => r.json?.event === 'schedule.fired' && r.json.data.schedule === name)

  it('fires a signed schedule.fired delivery with the fixed payload on each tick, and lists the history', async () => {
    const created = await api.post('/api/v1/schedules', { name: 'nightly-train', cron: EVERY_SECOND, webhookId: hook.id, payload: { pipeline: 'churn-train', full: true }, description: 'retrain' })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.body).toMatchObject({ name: 'nightly-train', status: 'active', timezone: 'UTC', payload: { pipeline: 'churn-train', full: true } })
    expect(Date.parse(created.body.nextFireAt)).toBeGreaterThan(Date.parse(created.body.createdAt))

    const receipts = await waitFor(() => firesOf('nightly-train').length >= 2 && firesOf('nightly-train'), 'two fires')
    const first = receipts[0]!
    expect(first.json).toMatchObject({ event: 'schedule.fired', data: { schedule: 'nightly-train', payload: { pipeline: 'churn-train', full: true } } })
    expect(verifySignature(hook.secret, String(first.headers['x-canon-delivery-id']), String(first.headers['x-canon-timestamp']), first.body, String(first.headers['x-canon-signature']))).toBe(true)
    const ticks = receipts.map((r) => r.json.data.scheduledFor as string)
    expect(new Set(ticks).size).toBe(ticks.length)
    expect(ticks.every((t) => t.endsWith('.000Z'))).toBe(true)

    const history = await waitFor(async () => {
      const items = (await api.get('/api/v1/schedules/nightly-train/fires')).body.items as any[]
      return items.length >= 2 && items.every((f) => f.deliveryStatus === 'succeeded') && items
    }, 'the history to show delivered fires')
    expect(history.map((f) => f.scheduledFor)).toEqual(expect.arrayContaining(ticks.slice(0, 2)))
    expect((await api.get('/api/v1/schedules')).body.items.map((s: any) => s.name)).toContain('nightly-train')
  }, 60_000)

  it('stops firing while paused and fires again once resumed', async () => {
    await api.post('/api/v1/schedules', { name: 'paused-one', cron: EVERY_SECOND, webhookId: hook.id })
    await api.post('/api/v1/schedules', { name: 'witness', cron: EVERY_SECOND, webhookId: hook.id })
    await waitFor(() => firesOf('paused-one').length >= 1, 'a first fire')
    const paused = await api.post('/api/v1/schedules/paused-one/pause')
    expect(paused.body).toMatchObject({ status: 'paused', nextFireAt: null })
    const firedBefore = (await api.get('/api/v1/schedules/paused-one/fires')).body.items.length
    // the witness firing twice more shows at least one tick of the paused schedule went by
    const witnessed = firesOf('witness').length
    await waitFor(() => firesOf('witness').length >= witnessed + 2, 'two more witness fires')
    expect((await api.get('/api/v1/schedules/paused-one/fires')).body.items).toHaveLength(firedBefore)

    const resumed = await api.post('/api/v1/schedules/paused-one/resume')
    expect(resumed.body.status).toBe('active')
    expect(resumed.body.nextFireAt).not.toBeNull()
    await waitFor(async () => (await api.get('/api/v1/schedules/paused-one/fires')).body.items.length > firedBefore, 'a fire after resuming')
    await api.post('/api/v1/schedules/witness/pause')
    await api.post('/api/v1/schedules/paused-one/pause')
    await api.post('/api/v1/schedules/nightly-train/pause')
  }, 60_000)

  it('changes a schedule, refuses bad input, and keeps a webhook a schedule fires', async () => {
    const changed = await api.patch('/api/v1/schedules/paused-one', { cron: '0 3 * * *', timezone: 'Europe/Berlin', payload: { v: 2 } })
    expect(changed.body).toMatchObject({ cron: '0 3 * * *', timezone: 'Europe/Berlin', payload: { v: 2 }, status: 'paused', nextFireAt: null })
    const bad = (body: object) => api.post('/api/v1/schedules', { name: 'bad', webhookId: hook.id, cron: EVERY_SECOND, ...body })
    expect((await bad({ cron: '61 * * * *' })).body.error).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'cron' } })
    expect((await bad({ timezone: 'Mars/Olympus' })).body.error).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'timezone' } })
    expect((await bad({ webhookId: 'no-such-hook' })).body.error.code).toBe('WEBHOOK_NOT_FOUND')
    expect((await bad({ name: 'witness' })).body.error.code).toBe('SCHEDULE_EXISTS')
    expect((await api.get('/api/v1/schedules/nope')).body.error.code).toBe('SCHEDULE_NOT_FOUND')
    expect((await api.delete(`/api/v1/webhooks/${hook.id}`)).body.error.code).toBe('INVALID_STATE')
    expect((await api.delete('/api/v1/schedules/witness')).status).toBe(204)
    expect((await api.get('/api/v1/schedules/witness/fires')).status).toBe(404)
  })
})
