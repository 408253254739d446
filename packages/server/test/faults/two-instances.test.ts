import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServeProcess } from '../auth/serve-process'
import { backends, tempDir } from '../support/backends'
import { client, enc } from '../support/http'
import { createTestDatabase } from '../support/postgres'
import { countRows, expectNoOrphans, openSiteStore, spawnServe, type Site } from './harness'

// Two `canon serve` processes on one PostgreSQL database and one blob directory, driven at once: what one instance
// acknowledges, the other sees; version numbers stay unique and gapless, one version holds Production, no audit event
// is lost and the chain verifies. (Webhook delivery across instances is tested with the webhooks feature.)

type Http = ReturnType<typeof client>

/** Runs every job, at most `width` at a time, and returns their results in order. */
async function concurrently<T>(jobs: (() => Promise<T>)[], width = 8): Promise<T[]> {
  const results: T[] = new Array(jobs.length)
  let next = 0
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++
      results[i] = await jobs[i]!()
    }
  }
  await Promise.all(Array.from({ length: width }, lane))
  return results
}

describe.runIf(backends.includes('postgres'))('canon serve instances side by side on one PostgreSQL', () => {
  let site: Site
  let cleanup: () => Promise<void>
  let instances: ServeProcess[] = []
  let a: Http
  let b: Http
  /** a third instance, for the requester: the two approvers must both be someone else (four eyes) */
  let c: Http
  /** alternates between the instances, as a round-robin load balancer would */
  const either = (i: number) => (i % 2 === 0 ? a : b)

  beforeAll(async () => {
    const dir = await tempDir('canon-two-')
    const database = await createTestDatabase()
    site = { backend: 'postgres', dataDir: dir.path, databaseUrl: database.url }
    cleanup = async () => (await database.drop(), await dir.remove())
    // Started together: both run the migrations at once, and each is applied once.
    const started = await Promise.all(['alice', 'bob', 'carol'].map((actor) => spawnServe(site, { CANON_ACTOR: actor })))
    instances = started.map((s) => s.serve)
    ;[a, b, c] = started.map((s) => client(s.url)) as [Http, Http, Http]
  })
  afterAll(async () => {
    for (const instance of instances) await instance.stop()
    await cleanup?.()
  })

  async function countAudit(action: string, targetPrefix: string): Promise<number> {
    const store = openSiteStore(site)
    try {
      return await countRows(store, `select count(*) as n from audit_events where action = '${action}' and target like '${targetPrefix}%'`)
    } finally {
      await store.close()
    }
  }

  it('numbers versions created at once through both instances 1..N, each exactly once', { timeout: 120_000 }, async () => {
    const model = 'twin/churn'
    expect((await a.post('/api/v1/models', { name: model })).status).toBe(201)
    // uploaded through one instance, referenced through the other: the blob store is shared
    const files = [await a.upload('weights.bin', randomBytes(2048))]
    expect((await b.call('HEAD', `/api/v1/blobs/${files[0]!.digest}`)).status).toBe(200)

    const created = await concurrently(Array.from({ length: 40 }, (_, i) => () => either(i).post(`/api/v1/models/${enc(model)}/versions`, { files, description: `try ${i}` })))
    expect(created.filter((r) => r.status !== 201).map((r) => r.body)).toEqual([])
    const numbers = created.map((r) => r.body.version as number).sort((x, y) => x - y)
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    expect(await countAudit('version.create', `version:${model}/`)).toBe(40)
    // and each instance sees every version the other made
    const [seenByA, seenByB] = await Promise.all([a.get(`/api/v1/models/${enc(model)}/versions?limit=100`), b.get(`/api/v1/models/${enc(model)}/versions?limit=100`)])
    expect(seenByA.body.items).toHaveLength(40)
    expect(seenByB.body.items).toHaveLength(40)
  })

  it('leaves exactly one Production version after promotions through both instances at once', { timeout: 120_000 }, async () => {
    const model = 'twin/churn'
    const promoted = await concurrently(Array.from({ length: 30 }, (_, i) => () => either(i).post(`/api/v1/models/${enc(model)}/versions/${(i % 10) + 1}/stage`, { stage: 'Production', reason: `rollout ${i}` })))
    expect(promoted.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([])
    const versions = await b.get(`/api/v1/models/${enc(model)}/versions?limit=100`)
    expect((versions.body.items as { stage: string }[]).filter((v) => v.stage === 'Production')).toHaveLength(1)

    const store = openSiteStore(site)
    try {
      const transitions = await countRows(store, `select count(*) as n from stage_transitions t join model_versions v on v.id = t.version_id join registered_models m on m.id = v.model_id where m.name = '${model}'`)
      expect(transitions).toBeGreaterThanOrEqual(30)
      expect(await countAudit('version.stage', `version:${model}/`), 'one audit event per stage transition').toBe(transitions)
    } finally {
      await store.close()
    }
  })

  it('moves an alias through both instances at once, auditing every move, and both agree where it points', { timeout: 120_000 }, async () => {
    const model = 'twin/churn'
    const moves = await concurrently(Array.from({ length: 30 }, (_, i) => () => either(i).put(`/api/v1/models/${enc(model)}/aliases/champion`, { version: (i % 7) + 1 })))
    expect(moves.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([])
    expect(await countAudit('alias.set', `alias:${model}@champion`)).toBe(30)
    const [viaA, viaB] = await Promise.all([a.get(`/api/v1/models/${enc(model)}/aliases/champion`), b.get(`/api/v1/models/${enc(model)}/aliases/champion`)])
    expect(viaA.status).toBe(200)
    expect(viaA.body).toEqual(viaB.body)
  })

  it('applies each transition request once when both instances approve it at the same moment', { timeout: 120_000 }, async () => {
    const model = 'twin/governed'
    expect((await a.post('/api/v1/models', { name: model })).status).toBe(201)
    const files = [await b.upload('weights.bin', randomBytes(1024))]
    for (let i = 0; i < 6; i++) expect((await either(i).post(`/api/v1/models/${enc(model)}/versions`, { files })).status).toBe(201)
    expect((await a.put(`/api/v1/policies/${enc(model)}`, { requiredApprovals: 2 })).status).toBe(200)

    const requests = await concurrently(Array.from({ length: 6 }, (_, i) => () => c.post(`/api/v1/models/${enc(model)}/versions/${i + 1}/requests`, { kind: 'stage', target: 'Production', comment: `please ${i}` })))
    expect(requests.filter((r) => r.status !== 201).map((r) => r.body)).toEqual([])
    // carol asked; alice (instance a) and bob (instance b) approve every request at once: the second approval applies it, once
    const reviews = await concurrently(requests.flatMap((r) => [a, b].map((instance) => () => instance.post(`/api/v1/requests/${r.body.id}/reviews`, { decision: 'approve' }))))
    expect(reviews.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([])
    for (const r of requests) {
      const request = await b.get(`/api/v1/requests/${r.body.id}`)
      expect(request.body.status).toBe('applied')
      expect((request.body.reviews as { reviewer: string }[]).map((x) => x.reviewer).sort()).toEqual(['alice', 'bob'])
    }
    const requestIds = requests.map((r) => r.body.id as number)
    const store = openSiteStore(site)
    try {
      const ids = requestIds.join(',')
      expect(await countRows(store, `select count(*) as n from audit_events where action = 'request.apply' and target in (${requestIds.map((id) => `'request:${id}'`).join(',')})`)).toBe(6)
      expect(await countRows(store, `select count(*) as n from request_reviews where request_id in (${ids})`)).toBe(12)
    } finally {
      await store.close()
    }
    const versions = await a.get(`/api/v1/models/${enc(model)}/versions?limit=100`)
    expect((versions.body.items as { stage: string }[]).filter((v) => v.stage === 'Production')).toHaveLength(1)

    // version approvals recorded through both instances at once: each is audited once
    const approvals = await concurrently(Array.from({ length: 12 }, (_, i) => () => either(i).post(`/api/v1/models/${enc(model)}/versions/${(i % 6) + 1}/approval`, { status: i % 4 === 3 ? 'rejected' : 'approved', comment: `review ${i}` })))
    expect(approvals.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([])
    expect(await countAudit('version.approval', `version:${model}/`)).toBe(12)
  })

  it('keeps every invariant when creations, promotions, alias moves and approvals all run at once on both', { timeout: 120_000 }, async () => {
    const model = 'twin/mixed'
    expect((await b.post('/api/v1/models', { name: model })).status).toBe(201)
    const files = [await a.upload('weights.bin', randomBytes(512))]
    for (let i = 0; i < 3; i++) expect((await either(i).post(`/api/v1/models/${enc(model)}/versions`, { files })).status).toBe(201)
    const m = `/api/v1/models/${enc(model)}`
    const jobs = Array.from({ length: 60 }, (_, i) => {
      const target = (i % 3) + 1
      switch (i % 4) {
        case 0:
          return () => either(i).post(`${m}/versions`, { files })
        case 1:
          return () => either(i).post(`${m}/versions/${target}/stage`, { stage: 'Production' })
        case 2:
          return () => either(i).put(`${m}/aliases/challenger`, { version: target })
        default:
          return () => either(i).post(`${m}/versions/${target}/approval`, { status: 'approved' })
      }
    })
    const answers = await concurrently(jobs, 10)
    expect(answers.filter((r) => r.status >= 300).map((r) => r.body)).toEqual([])

    const versions = await a.get(`${m}/versions?limit=100`)
    const items = versions.body.items as { version: number; stage: string }[]
    expect(items.map((v) => v.version).sort((x, y) => x - y)).toEqual(Array.from({ length: 3 + 15 }, (_, i) => i + 1))
    expect(items.filter((v) => v.stage === 'Production')).toHaveLength(1)
    expect(await countAudit('version.create', `version:${model}/`)).toBe(18)
    expect(await countAudit('alias.set', `alias:${model}@challenger`)).toBe(15)
    expect(await countAudit('version.approval', `version:${model}/`)).toBe(15)
  })

  it('keeps one verifiable audit chain and no orphan rows across both instances', async () => {
    const [viaA, viaB] = await Promise.all([a.get('/api/v1/audit/verify'), b.get('/api/v1/audit/verify')])
    expect(viaA.body).toMatchObject({ ok: true })
    expect(viaB.body).toEqual(viaA.body)
    // no lost event: sequence numbers run 1..N without a gap
    const store = openSiteStore(site)
    try {
      const events = await countRows(store, 'select count(*) as n from audit_events')
      expect(await countRows(store, 'select max(seq) as n from audit_events')).toBe(events)
      expect(viaA.body.events).toBe(events)
    } finally {
      await store.close()
    }
    await expectNoOrphans(site)
  })
})
