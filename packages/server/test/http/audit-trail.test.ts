import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client } from '../support/http'

for (const backend of backends) {
  describe(`audit trail (${backend})`, () => {
    let server: TestServer
    let api: ReturnType<typeof client>

    beforeAll(async () => {
      server = await startTestServer(backend)
      api = client(server.url)
      const file = await api.upload('model.bin', Buffer.from('audited weights'))
      await api.post('/api/v1/models', { name: 'churn' })
      await api.post('/api/v1/models', { name: 'churn-v2' })
      await api.post('/api/v1/models/churn/versions', { files: [file] })
      await api.post('/api/v1/models/churn/versions/1/stage', { stage: 'Production', reason: 'quarterly refresh' })
      await api.put('/api/v1/models/churn/aliases/champion', { version: 1 })
      await api.post('/api/v1/models/churn-v2/versions', { files: [file] })
    })
    afterAll(async () => server?.stop())

    it("lists a model's history: the model, its versions and its aliases, but not a model whose name merely starts the same", async () => {
      const { body } = await api.get('/api/v1/audit?model=churn')
      expect(body.items.map((e: { action: string; target: string }) => `${e.action} ${e.target}`)).toEqual([
        'model.create model:churn',
        'version.create version:churn/1',
        'version.stage version:churn/1',
        'alias.set alias:churn@champion',
      ])
    })

    it('filters by actor, action and time, and pages with nextAfter', async () => {
      expect((await api.get('/api/v1/audit?action=version.stage')).body.items).toMatchObject([{ target: 'version:churn/1', reason: 'quarterly refresh', before: { stage: 'None' }, after: { stage: 'Production' } }])
      expect((await api.get('/api/v1/audit?actor=nobody')).body.items).toEqual([])
      expect((await api.get(`/api/v1/audit?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.items).toEqual([])
      const first = await api.get('/api/v1/audit?limit=2')
      const second = await api.get(`/api/v1/audit?limit=2&after=${first.body.nextAfter}`)
      expect([...first.body.items, ...second.body.items].map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4])
    })

    it('verifies an untouched chain', async () => {
      expect((await api.get('/api/v1/audit/verify')).body).toMatchObject({ ok: true, events: 6 })
    })

    it('finds an event edited directly in the database and names the first broken link', async () => {
      await sql`update audit_events set actor = ${'mallory'} where seq = 3`.execute(server.store.db)
      expect((await api.get('/api/v1/audit/verify')).body).toMatchObject({ ok: false, brokenAt: 3, why: expect.stringContaining('hash') })
      await sql`update audit_events set actor = ${'tester'} where seq = 3`.execute(server.store.db)
      expect((await api.get('/api/v1/audit/verify')).body.ok).toBe(true)
    })

    it('finds an event deleted from the middle of the chain', async () => {
      await sql`delete from audit_events where seq = 5`.execute(server.store.db)
      expect((await api.get('/api/v1/audit/verify')).body).toMatchObject({ ok: false, brokenAt: 6, why: expect.stringContaining('missing') })
    })

    it('finds the newest event deleted, through the recorded chain head', async () => {
      await sql`delete from audit_events where seq = 6`.execute(server.store.db)
      const check = (await api.get('/api/v1/audit/verify')).body
      expect(check.ok).toBe(false)
    })
  })
}
