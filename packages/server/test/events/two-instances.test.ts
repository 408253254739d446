import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ServeProcess } from '../auth/serve-process'
import { backends, tempDir } from '../support/backends'
import { client } from '../support/http'
import { createTestDatabase } from '../support/postgres'
import { WebhookReceiver, waitFor } from '../support/webhook-receiver'

// Two real `canon serve` processes on one PostgreSQL database and one data directory, each running its delivery worker.
// Every attempt must reach the receiver exactly once, and every schedule tick must fire once.

const EVENTS = 40

/** (delivery, attempt) pairs an instance says it attempted, from its JSON log. */
function attemptsLogged(process: ServeProcess): string[] {
  return process.stdout
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as { msg?: string; delivery?: string; attempt?: number }]
      } catch {
        return []
      }
    })
    .filter((entry) => entry.msg === 'webhook attempt')
    .map((entry) => `${entry.delivery}#${entry.attempt}`)
}

describe.runIf(backends.includes('postgres'))('webhooks and schedules with two instances on one PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>
  let dataDir: Awaited<ReturnType<typeof tempDir>>
  let instances: ServeProcess[] = []
  let apis: ReturnType<typeof client>[]
  let receiver: WebhookReceiver

  beforeAll(async () => {
    database = await createTestDatabase()
    dataDir = await tempDir('canon-two-')
    receiver = await new WebhookReceiver().start()
    const env = {
      CANON_DATABASE_URL: database.url,
      CANON_DATA_DIR: dataDir.path,
      CANON_ACTOR: 'tester',
      CANON_LOG_LEVEL: 'info',
      CANON_WEBHOOK_POLL_MS: '10',
      CANON_WEBHOOK_BACKOFF_MS: '1',
      CANON_WEBHOOK_MAX_BACKOFF_MS: '5',
    }
    instances = [new ServeProcess(env), new ServeProcess(env)]
    apis = (await Promise.all(instances.map((i) => i.url()))).map(client)
  }, 60_000)
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()))
    await receiver?.stop()
    await database?.drop()
    await dataDir?.remove()
  })

  it('makes each delivery attempt exactly once, retries included, whichever instance claims it', async () => {
    const [a, b] = apis as [ReturnType<typeof client>, ReturnType<typeof client>]
    const hook = await a.post('/api/v1/webhooks', { name: 'shared', url: `${receiver.url}/shared`, events: ['model.tag_set'] })
    expect(hook.status).toBe(201)
    // the first attempt of every delivery fails with a 503, so every delivery is retried; answers are slowed so claims interleave
    receiver.answer = (r) => {
      const id = r.headers['x-canon-delivery-id']
      return receiver.at('/shared').filter((x) => x.headers['x-canon-delivery-id'] === id).length === 1 ? 503 : 200
    }
    await a.post('/api/v1/models', { name: 'shared-model' })
    for (let i = 0; i < EVENTS; i++) expect((await (i % 2 ? b : a).put(`/api/v1/models/shared-model/tags/k${i}`, { value: String(i) })).status).toBe(200)

    const deliveries = await waitFor(async () => {
      const items = (await b.get(`/api/v1/webhooks/${hook.body.id}/deliveries?limit=500`)).body.items as any[]
      return items.length === EVENTS && items.every((d) => d.status === 'succeeded') && items
    }, 'every delivery to succeed', 60_000)

    const receipts = receiver.at('/shared').map((r) => `${r.headers['x-canon-delivery-id']}#${r.headers['x-canon-attempt']}`)
    const counts = new Map<string, number>()
    for (const key of receipts) counts.set(key, (counts.get(key) ?? 0) + 1)
    expect([...counts].filter(([, n]) => n > 1), 'attempts received more than once').toEqual([])
    const expected = deliveries.flatMap((d) => [`${d.id}#1`, `${d.id}#2`]).sort()
    expect([...counts.keys()].sort()).toEqual(expected)
    expect(deliveries.every((d) => d.attempts === 2 && d.attemptLog.map((x: any) => x.statusCode).join() === '503,200')).toBe(true)

    // both workers took part, and between them logged each attempt once
    const logged = instances.map(attemptsLogged)
    expect(logged.every((l) => l.length > 0), `attempts per instance: ${logged.map((l) => l.length).join(', ')}`).toBe(true)
    expect(logged.flat().sort()).toEqual(expected)
  }, 120_000)

  it('fires each schedule tick once across both instances', async () => {
    const [a, b] = apis as [ReturnType<typeof client>, ReturnType<typeof client>]
    receiver.answer = () => 200
    const hook = await a.post('/api/v1/webhooks', { name: 'trainer', url: `${receiver.url}/train`, events: ['model.created'] })
    expect((await b.post('/api/v1/schedules', { name: 'every-second', cron: '* * * * * *', webhookId: hook.body.id, payload: { pipeline: 'train' } })).status).toBe(201)
    const fires = () => receiver.at('/train').filter((r) => r.json?.event === 'schedule.fired')
    await waitFor(() => fires().length >= 4, 'four fires', 30_000)
    await a.post('/api/v1/schedules/every-second/pause')

    const history = await waitFor(async () => {
      const items = (await a.get('/api/v1/schedules/every-second/fires?limit=500')).body.items as any[]
      return items.every((f) => f.deliveryStatus === 'succeeded') && fires().length === items.length && items
    }, 'the fires in flight to be delivered')
    const ticks = fires().map((r) => r.json.data.scheduledFor as string)
    expect(ticks.length).toBeGreaterThanOrEqual(4)
    expect(new Set(ticks).size, `ticks received: ${ticks.join(', ')}`).toBe(ticks.length)
    expect(history.map((f) => f.scheduledFor).sort()).toEqual([...ticks].sort())
  }, 120_000)
})
