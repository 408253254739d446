import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client } from '../support/http'

describe.each(backends)('deployments on %s', (backend) => {
  let server: TestServer
  let api: ReturnType<typeof client>

  beforeAll(async () => {
    server = await startTestServer(backend)
    api = client(server.url)
    const weights = await api.upload('model.bin', new TextEncoder().encode('deployed weights'))
    await api.post('/api/v1/models', { name: 'churn' })
    for (let i = 0; i < 3; i++) expect((await api.post('/api/v1/models/churn/versions', { files: [weights] })).status).toBe(201)
  })
  afterAll(async () => {
    await server?.stop()
  })

  const routeOf = async (key: string) => (await api.get(`/api/v1/deployments/churn-api/route?key=${encodeURIComponent(key)}`)).body.version as number

  it('splits traffic by a sticky hash of the request key, in proportion to the weights', async () => {
    const created = await api.put('/api/v1/deployments/churn-api', { model: 'churn', environment: 'prod', split: { '1': 90, '2': 10 }, reason: 'canary for v2' })
    expect(created.status).toBe(200)
    expect(created.body).toMatchObject({ name: 'churn-api', environment: 'prod', model: 'churn', status: 'active', revision: 1, split: [{ version: 1, weight: 90, archived: false }, { version: 2, weight: 10, archived: false }] })

    const keys = Array.from({ length: 1000 }, (_, i) => `request-${i}`)
    const first = await Promise.all(keys.map(routeOf))
    expect(await Promise.all(keys.map(routeOf)), 'the same key always gets the same version').toEqual(first)
    const toV2 = first.filter((v) => v === 2).length
    // 10% of 1000 keys; a binomial spread of ±3 standard deviations is 10 ± 3%
    expect(toV2).toBeGreaterThan(60)
    expect(toV2).toBeLessThan(140)

    // widening the canary moves only keys from v1 to v2, never back
    await api.put('/api/v1/deployments/churn-api', { model: 'churn', environment: 'prod', split: { '1': 50, '2': 50 }, reason: 'widen' })
    const second = await Promise.all(keys.map(routeOf))
    expect(first.every((v, i) => v === 1 || second[i] === 2), 'keys on v2 stay on v2').toBe(true)
    expect(second.filter((v) => v === 2).length).toBeGreaterThan(toV2)
  })

  it('keeps a full history of who changed the split and why, and audits it', async () => {
    const history = await api.get('/api/v1/deployments/churn-api/history')
    expect(history.body.items.map((h: { revision: number; split: object; reason: string; actor: string }) => [h.revision, h.split, h.reason, h.actor])).toEqual([
      [2, { '1': 50, '2': 50 }, 'widen', 'tester'],
      [1, { '1': 90, '2': 10 }, 'canary for v2', 'tester'],
    ])
    const audit = await api.get('/api/v1/audit?limit=1000')
    const events = audit.body.items.filter((e: { target: string }) => e.target === 'deployment:churn-api')
    expect(events.map((e: { action: string; reason: string }) => [e.action, e.reason])).toEqual([
      ['deployment.create', 'canary for v2'],
      ['deployment.update', 'widen'],
    ])
  })

  it('refuses to delete a version that receives traffic, and allows it once the split moves away', async () => {
    const refused = await api.delete('/api/v1/models/churn/versions/2')
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatchObject({ code: 'VERSION_SERVING', details: { deployments: ['churn-api'] } })
    const model = await api.delete('/api/v1/models/churn')
    expect(model.status).toBe(409)
    expect((await api.get('/api/v1/models/churn/versions/2')).status).toBe(200)
  })

  it('keeps routing to a version a promotion archived, and flags it', async () => {
    await api.post('/api/v1/models/churn/versions/1/stage', { stage: 'Production' })
    await api.post('/api/v1/models/churn/versions/3/stage', { stage: 'Production' })
    const deployment = await api.get('/api/v1/deployments/churn-api')
    expect(deployment.body.split).toEqual([
      { version: 1, weight: 50, stage: 'Archived', archived: true },
      { version: 2, weight: 50, stage: 'None', archived: false },
    ])
    const keys = Array.from({ length: 200 }, (_, i) => `archived-${i}`)
    expect((await Promise.all(keys.map(routeOf))).filter((v) => v === 1).length).toBeGreaterThan(50)
    const graph = await api.get('/api/v1/models/churn/versions/1/lineage')
    expect(graph.body.nodes.find((n: { kind: string }) => n.kind === 'deployment').data).toMatchObject({ name: 'churn-api', weight: 50, archivedButServing: true })
  })

  it('serialises concurrent split changes into distinct revisions', async () => {
    const changes = await Promise.all([
      api.put('/api/v1/deployments/churn-api', { model: 'churn', environment: 'prod', split: { '3': 100 }, reason: 'a' }),
      api.put('/api/v1/deployments/churn-api', { model: 'churn', environment: 'prod', split: { '2': 100 }, reason: 'b' }),
    ])
    expect(changes.map((c) => c.status)).toEqual([200, 200])
    expect(changes.map((c) => c.body.revision).sort()).toEqual([3, 4])
    const history = await api.get('/api/v1/deployments/churn-api/history?limit=2')
    expect(history.body.items.map((h: { revision: number }) => h.revision)).toEqual([4, 3])
  })

  it('lists deployments by model and environment, pages them, and deletes one keeping its history', async () => {
    await api.put('/api/v1/deployments/churn-batch', { model: 'churn', environment: 'batch', split: { '3': 100 } })
    const byEnv = await api.get('/api/v1/deployments?environment=batch')
    expect(byEnv.body.items.map((d: { name: string }) => d.name)).toEqual(['churn-batch'])
    const page = await api.get('/api/v1/deployments?model=churn&limit=1')
    expect(page.body.items.map((d: { name: string }) => d.name)).toEqual(['churn-api'])
    const next = await api.get(`/api/v1/deployments?model=churn&limit=1&cursor=${page.body.nextCursor}`)
    expect(next.body.items.map((d: { name: string }) => d.name)).toEqual(['churn-batch'])

    expect((await api.delete('/api/v1/deployments/churn-batch?reason=retired')).status).toBe(204)
    expect((await api.get('/api/v1/deployments/churn-batch')).body.error.code).toBe('DEPLOYMENT_NOT_FOUND')
    const history = await api.get('/api/v1/deployments/churn-batch/history')
    expect(history.body.items[0]).toMatchObject({ status: 'deleted', reason: 'retired' })
  })

  it('a retired deployment routes nothing', async () => {
    await api.put('/api/v1/deployments/churn-old', { model: 'churn', environment: 'prod', split: { '3': 100 }, status: 'retired' })
    const routed = await api.get('/api/v1/deployments/churn-old/route?key=x')
    expect(routed.status).toBe(409)
    expect(routed.body.error.code).toBe('INVALID_STATE')
  })
})
