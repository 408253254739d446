import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client, enc } from '../support/http'

for (const backend of backends) {
  describe(`registry over HTTP (${backend})`, () => {
    let server: TestServer
    let api: ReturnType<typeof client>
    let weights: { path: string; size: number; digest: string }

    beforeAll(async () => {
      server = await startTestServer(backend)
      api = client(server.url)
      weights = await api.upload('model.pkl', Buffer.from('pretend these are weights'))
    })
    afterAll(async () => server?.stop())

    const version = (model: string, extra: Record<string, unknown> = {}) => api.post(`/api/v1/models/${enc(model)}/versions`, { files: [weights], ...extra })

    describe('registered models', () => {
      it('creates a model with a description and tags and reads it back', async () => {
        const created = await api.post('/api/v1/models', { name: 'churn', description: 'predicts churn', tags: { team: 'risk' } })
        expect(created.status).toBe(201)
        expect(created.body).toMatchObject({ name: 'churn', description: 'predicts churn', tags: { team: 'risk' }, latestVersion: null, productionVersion: null, createdBy: 'tester' })
        const got = await api.get('/api/v1/models/churn')
        expect(got.body).toEqual(created.body)
      })

      it('accepts names with slashes, dots and spaces', async () => {
        const name = 'team-a/fraud model.v2'
        expect((await api.post('/api/v1/models', { name })).status).toBe(201)
        expect((await api.get(`/api/v1/models/${enc(name)}`)).body.name).toBe(name)
      })

      it('searches by name substring, tag and stage', async () => {
        await api.post('/api/v1/models', { name: 'search-alpha', tags: { domain: 'ads', tier: 'gold' } })
        await api.post('/api/v1/models', { name: 'search-beta', tags: { domain: 'ads' } })
        await api.post('/api/v1/models', { name: 'search-gamma', tags: { domain: 'risk' } })
        await version('search-beta')
        await api.post('/api/v1/models/search-beta/versions/1/stage', { stage: 'Staging' })
        const names = async (query: string) => (await api.get(`/api/v1/models?${query}`)).body.items.map((m: { name: string }) => m.name)
        expect(await names('q=SEARCH-')).toEqual(['search-alpha', 'search-beta', 'search-gamma'])
        expect(await names('q=search-&tag=domain=ads')).toEqual(['search-alpha', 'search-beta'])
        expect(await names('q=search-&tag=domain=ads&tag=tier')).toEqual(['search-alpha'])
        expect(await names('q=search-&stage=Staging')).toEqual(['search-beta'])
        expect(await names('q=search-&approval=pending')).toEqual(['search-beta'])
        expect(await names('q=search-&approval=approved')).toEqual([])
      })

      it('pages through every model exactly once with a cursor, in each sort order', async () => {
        for (let i = 0; i < 7; i++) await api.post('/api/v1/models', { name: `page-${i}` })
        for (const sort of ['name', 'created', 'updated']) {
          const seen: string[] = []
          let cursor: string | null = null
          do {
            const response: { body: { items: { name: string }[]; nextCursor: string | null } } = await api.get(`/api/v1/models?q=page-&limit=3&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`)
            seen.push(...response.body.items.map((m) => m.name))
            cursor = response.body.nextCursor
          } while (cursor)
          expect(seen.slice().sort()).toEqual(Array.from({ length: 7 }, (_, i) => `page-${i}`))
          expect(new Set(seen).size).toBe(7)
        }
      })

      it('renames a model and its versions, aliases and tags follow', async () => {
        await api.post('/api/v1/models', { name: 'old-name', tags: { owner: 'ana' } })
        await version('old-name')
        await api.put('/api/v1/models/old-name/aliases/champion', { version: 1 })
        const renamed = await api.patch('/api/v1/models/old-name', { name: 'new-name' })
        expect(renamed.status).toBe(200)
        expect(renamed.body).toMatchObject({ name: 'new-name', tags: { owner: 'ana' }, aliases: { champion: 1 }, latestVersion: 1 })
        expect((await api.get('/api/v1/models/old-name')).status).toBe(404)
        expect((await api.get('/api/v1/models/new-name/versions/1')).body.model).toBe('new-name')
        expect((await api.get(`/api/v1/resolve?uri=${enc('models:/new-name@champion')}`)).body.version).toBe(1)
      })

      it('updates the description', async () => {
        await api.post('/api/v1/models', { name: 'described' })
        expect((await api.patch('/api/v1/models/described', { description: 'now with words' })).body.description).toBe('now with words')
      })

      it('sets, overwrites and deletes tags', async () => {
        await api.post('/api/v1/models', { name: 'tagged' })
        await api.put('/api/v1/models/tagged/tags/stage-owner', { value: 'bo' })
        expect((await api.put('/api/v1/models/tagged/tags/stage-owner', { value: 'cy' })).body.tags).toEqual({ 'stage-owner': 'cy' })
        expect((await api.delete('/api/v1/models/tagged/tags/stage-owner')).status).toBe(204)
        expect((await api.get('/api/v1/models/tagged')).body.tags).toEqual({})
      })

      it('refuses to delete a model while a version is in Production, and deletes it once archived', async () => {
        await api.post('/api/v1/models', { name: 'live' })
        await version('live')
        await api.post('/api/v1/models/live/versions/1/stage', { stage: 'Production' })
        expect((await api.delete('/api/v1/models/live')).body.error.code).toBe('MODEL_HAS_PRODUCTION_VERSION')
        await api.post('/api/v1/models/live/versions/1/stage', { stage: 'Archived' })
        expect((await api.delete('/api/v1/models/live')).status).toBe(204)
        expect((await api.get('/api/v1/models/live')).status).toBe(404)
      })
    })

    describe('model versions', () => {
      it('numbers versions from 1 and never reuses a number after deletion', async () => {
        await api.post('/api/v1/models', { name: 'numbered' })
        expect((await version('numbered')).body.version).toBe(1)
        expect((await version('numbered')).body.version).toBe(2)
        expect((await api.delete('/api/v1/models/numbered/versions/2')).status).toBe(204)
        expect((await version('numbered')).body.version).toBe(3)
        expect((await api.get('/api/v1/models/numbered/versions/2')).body.error.code).toBe('VERSION_NOT_FOUND')
      })

      it('keeps the manifest, source, run, metrics and params it was created with', async () => {
        await api.post('/api/v1/models', { name: 'detailed' })
        const config = await api.upload('config/params.json', Buffer.from('{"depth":6}'))
        const created = await version('detailed', {
          files: [weights, config],
          description: 'first',
          tags: { dataset: 'q3' },
          source: 's3://bucket/run-7/model',
          runId: 'run-7',
          metrics: { val_auc: 0.913, loss: 0.2 },
          params: { max_depth: '6' },
        })
        expect(created.status).toBe(201)
        expect(created.body).toMatchObject({
          version: 1,
          stage: 'None',
          source: 's3://bucket/run-7/model',
          runId: 'run-7',
          metrics: { val_auc: 0.913, loss: 0.2 },
          params: { max_depth: '6' },
          tags: { dataset: 'q3' },
          fileCount: 2,
          totalSize: weights.size + config.size,
        })
        expect(created.body.files).toEqual([config, weights].sort((a, b) => a.path.localeCompare(b.path)))
        expect((await api.get('/api/v1/models/detailed/versions/1/files')).body.files).toHaveLength(2)
      })

      it('lets only the description, tags, stage and aliases change', async () => {
        await api.post('/api/v1/models', { name: 'immutable' })
        await version('immutable', { runId: 'r1' })
        expect((await api.patch('/api/v1/models/immutable/versions/1', { description: 'better words' })).body.description).toBe('better words')
        const refused = await api.patch('/api/v1/models/immutable/versions/1', { description: 'x', runId: 'r2' })
        expect(refused.status).toBe(400)
        expect((await api.get('/api/v1/models/immutable/versions/1')).body.runId).toBe('r1')
        await api.put('/api/v1/models/immutable/versions/1/tags/validated_by', { value: 'qa' })
        expect((await api.get('/api/v1/models/immutable/versions/1')).body.tags).toEqual({ validated_by: 'qa' })
        expect((await api.delete('/api/v1/models/immutable/versions/1/tags/validated_by')).status).toBe(204)
      })

      it('searches versions by model, stage, tag, run id and created range', async () => {
        await api.post('/api/v1/models', { name: 'vsearch' })
        const t0 = new Date().toISOString()
        await version('vsearch', { tags: { team: 'risk' }, runId: 'run-a' })
        await version('vsearch', { tags: { team: 'growth' }, runId: 'run-b' })
        await version('vsearch', { tags: { team: 'risk' }, runId: 'run-c' })
        await api.post('/api/v1/models/vsearch/versions/2/stage', { stage: 'Staging' })
        const versions = async (query: string) => (await api.get(`/api/v1/versions?model=vsearch&${query}`)).body.items.map((v: { version: number }) => v.version)
        expect(await versions('')).toEqual([3, 2, 1])
        expect(await versions('order=asc')).toEqual([1, 2, 3])
        expect(await versions('tag=team=risk')).toEqual([3, 1])
        expect(await versions('stage=Staging')).toEqual([2])
        expect(await versions('runId=run-c')).toEqual([3])
        expect(await versions(`createdAfter=${t0}`)).toEqual([3, 2, 1])
        expect(await versions(`createdBefore=${t0}`)).toEqual([])
        const firstPage = await api.get('/api/v1/models/vsearch/versions?limit=2')
        expect(firstPage.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2])
        const secondPage = await api.get(`/api/v1/models/vsearch/versions?limit=2&cursor=${firstPage.body.nextCursor}`)
        expect(secondPage.body).toMatchObject({ items: [{ version: 1 }], nextCursor: null })
      })

      it('refuses to delete a version in Production', async () => {
        await api.post('/api/v1/models', { name: 'protected' })
        await version('protected')
        await api.post('/api/v1/models/protected/versions/1/stage', { stage: 'Production' })
        expect((await api.delete('/api/v1/models/protected/versions/1')).body.error.code).toBe('VERSION_IN_PRODUCTION')
        expect((await api.get('/api/v1/models/protected/versions/1')).status).toBe(200)
      })
    })

    describe('stages', () => {
      it('promoting to Production archives the previous Production version', async () => {
        await api.post('/api/v1/models', { name: 'promo' })
        await version('promo')
        await version('promo')
        await api.post('/api/v1/models/promo/versions/1/stage', { stage: 'Production' })
        const promoted = await api.post('/api/v1/models/promo/versions/2/stage', { stage: 'Production', reason: 'better AUC' })
        expect(promoted.body.stage).toBe('Production')
        expect((await api.get('/api/v1/models/promo/versions/1')).body.stage).toBe('Archived')
        expect((await api.get('/api/v1/models/promo')).body.productionVersion).toBe(2)
      })

      it('keeps the previous Production version when archiveExisting is false', async () => {
        await api.post('/api/v1/models', { name: 'twin' })
        await version('twin')
        await version('twin')
        await api.post('/api/v1/models/twin/versions/1/stage', { stage: 'Production' })
        await api.post('/api/v1/models/twin/versions/2/stage', { stage: 'Production', archiveExisting: false })
        expect((await api.get('/api/v1/versions?model=twin&stage=Production')).body.items).toHaveLength(2)
      })

      it('records who moved a version, when, and why', async () => {
        await api.post('/api/v1/models', { name: 'history' })
        await version('history')
        await api.post('/api/v1/models/history/versions/1/stage', { stage: 'Staging' })
        await api.post('/api/v1/models/history/versions/1/stage', { stage: 'Production', reason: 'passed shadow test' })
        const { body } = await api.get('/api/v1/models/history/versions/1/transitions')
        expect(body.items).toMatchObject([
          { fromStage: 'None', toStage: 'Staging', actor: 'tester', reason: null },
          { fromStage: 'Staging', toStage: 'Production', actor: 'tester', reason: 'passed shadow test' },
        ])
        expect(Date.parse(body.items[1].at)).not.toBeNaN()
      })
    })

    describe('aliases and URIs', () => {
      beforeAll(async () => {
        await api.post('/api/v1/models', { name: 'uris' })
        for (let i = 0; i < 3; i++) await version('uris')
        await api.post('/api/v1/models/uris/versions/2/stage', { stage: 'Production' })
      })

      it('sets, moves, reads and deletes an alias', async () => {
        expect((await api.put('/api/v1/models/uris/aliases/champion', { version: 1 })).body.aliases).toEqual(['champion'])
        await api.put('/api/v1/models/uris/aliases/champion', { version: 3 })
        expect((await api.get('/api/v1/models/uris/aliases/champion')).body.version).toBe(3)
        expect((await api.get('/api/v1/models/uris/aliases')).body.aliases).toEqual({ champion: 3 })
        expect((await api.delete('/api/v1/models/uris/aliases/champion')).status).toBe(204)
        expect((await api.get('/api/v1/models/uris/aliases/champion')).body.error.code).toBe('ALIAS_NOT_FOUND')
      })

      it('refuses reserved alias names', async () => {
        for (const alias of ['latest', 'v3', 'V12']) {
          expect((await api.put(`/api/v1/models/uris/aliases/${alias}`, { version: 1 })).body.error.code).toBe('INVALID_ALIAS')
        }
      })

      it('resolves every URI form through one resolver', async () => {
        await api.put('/api/v1/models/uris/aliases/challenger', { version: 1 })
        const cases: [string, number][] = [
          ['models:/uris/3', 3],
          ['models:/uris/Production', 2],
          ['models:/uris/production', 2],
          ['models:/uris@challenger', 1],
          ['models:/uris/latest', 3],
          ['model://uris/v3', 3],
          ['model://uris@challenger', 1],
        ]
        for (const [uri, expected] of cases) {
          const resolved = await api.get(`/api/v1/resolve?uri=${enc(uri)}`)
          expect({ uri, version: resolved.body.version }).toEqual({ uri, version: expected })
        }
        expect((await api.get(`/api/v1/resolve?uri=${enc('models:/uris/Staging')}`)).body.error.code).toBe('VERSION_NOT_FOUND')
        expect((await api.get(`/api/v1/resolve?uri=${enc('models:/uris@nobody')}`)).body.error.code).toBe('ALIAS_NOT_FOUND')
        expect((await api.get(`/api/v1/resolve?uri=${enc('models:/nothing/1')}`)).body.error.code).toBe('MODEL_NOT_FOUND')
        expect((await api.get(`/api/v1/resolve?uri=${enc('s3://uris/1')}`)).body.error.code).toBe('INVALID_URI')
      })

      it('resolves names that contain slashes', async () => {
        await api.post('/api/v1/models', { name: 'org/team/model' })
        await version('org/team/model')
        await api.put(`/api/v1/models/${enc('org/team/model')}/aliases/prod`, { version: 1 })
        expect((await api.get(`/api/v1/resolve?uri=${enc('models:/org/team/model/1')}`)).body.model).toBe('org/team/model')
        expect((await api.get(`/api/v1/resolve?uri=${enc('model://org/team/model@prod')}`)).body.version).toBe(1)
      })

      it('deleting a version removes the aliases that pointed at it', async () => {
        await api.post('/api/v1/models', { name: 'dangling' })
        await version('dangling')
        await api.put('/api/v1/models/dangling/aliases/temp', { version: 1 })
        await api.delete('/api/v1/models/dangling/versions/1')
        expect((await api.get('/api/v1/models/dangling')).body.aliases).toEqual({})
      })
    })

    describe('files', () => {
      const content = Buffer.from('0123456789abcdefghij')
      beforeAll(async () => {
        await api.post('/api/v1/models', { name: 'files' })
        const file = await api.upload('nested/dir/data.bin', content)
        await version('files', { files: [file] })
      })
      const url = () => `${server.url}/api/v1/models/files/versions/1/files/nested/dir/data.bin`

      it('streams a file with its length and its digest as ETag', async () => {
        const response = await fetch(url())
        expect(response.status).toBe(200)
        expect(response.headers.get('content-length')).toBe(String(content.length))
        expect(response.headers.get('etag')).toMatch(/^"sha256:[0-9a-f]{64}"$/)
        expect(response.headers.get('accept-ranges')).toBe('bytes')
        expect(Buffer.from(await response.arrayBuffer())).toEqual(content)
      })

      it('serves byte ranges, suffix ranges and open-ended ranges', async () => {
        const get = (range: string) => fetch(url(), { headers: { range } })
        let response = await get('bytes=2-5')
        expect(response.status).toBe(206)
        expect(response.headers.get('content-range')).toBe(`bytes 2-5/${content.length}`)
        expect(await response.text()).toBe('2345')
        response = await get('bytes=-3')
        expect(await response.text()).toBe('hij')
        response = await get('bytes=18-')
        expect(await response.text()).toBe('ij')
        response = await get('bytes=500-')
        expect(response.status).toBe(416)
        expect(response.headers.get('content-range')).toBe(`bytes */${content.length}`)
      })

      it('answers 304 when the client already has the digest', async () => {
        const etag = (await fetch(url())).headers.get('etag')!
        expect((await fetch(url(), { headers: { 'if-none-match': etag } })).status).toBe(304)
      })

      it('tells a client which blobs it need not upload', async () => {
        const head = await fetch(`${server.url}/api/v1/blobs/${weights.digest}`, { method: 'HEAD' })
        expect(head.status).toBe(200)
        expect(head.headers.get('content-length')).toBe(String(weights.size))
        const again = await fetch(`${server.url}/api/v1/blobs/${weights.digest}`, { method: 'PUT', body: Buffer.from('pretend these are weights') })
        expect(again.status).toBe(200)
        expect(await again.json()).toMatchObject({ created: false })
      })
    })

    describe('garbage collection', () => {
      it('collects only unreferenced blobs past the grace period, and only when applied', async () => {
        await api.post('/api/v1/models', { name: 'gc' })
        const kept = await api.upload('kept.bin', Buffer.from('kept bytes'))
        const orphan = await api.upload('orphan.bin', Buffer.from('orphan bytes'))
        await version('gc', { files: [kept] })
        const young = await api.post('/api/v1/admin/gc', { apply: true })
        expect(young.body.collected.map((c: { digest: string }) => c.digest)).not.toContain(orphan.digest)
        const dry = await api.post('/api/v1/admin/gc', { graceSeconds: 0 })
        expect(dry.body).toMatchObject({ applied: false })
        expect(dry.body.collected.map((c: { digest: string }) => c.digest)).toContain(orphan.digest)
        expect((await fetch(`${server.url}/api/v1/blobs/${orphan.digest}`, { method: 'HEAD' })).status).toBe(200)
        const applied = await api.post('/api/v1/admin/gc', { apply: true, graceSeconds: 0 })
        const collected = applied.body.collected.map((c: { digest: string }) => c.digest)
        expect(collected).toContain(orphan.digest)
        expect(collected).not.toContain(kept.digest)
        expect((await fetch(`${server.url}/api/v1/blobs/${orphan.digest}`, { method: 'HEAD' })).status).toBe(404)
        expect((await fetch(`${server.url}/api/v1/models/gc/versions/1/files/kept.bin`)).status).toBe(200)
      })
    })

    describe('concurrency', () => {
      it('50 concurrent version creations on one model yield versions 1..50 exactly once each', async () => {
        await api.post('/api/v1/models', { name: 'race' })
        const results = await Promise.all(Array.from({ length: 50 }, () => version('race')))
        expect(results.every((r) => r.status === 201)).toBe(true)
        expect(results.map((r) => r.body.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
      })

      it('two concurrent promotions to Production leave exactly one Production version', async () => {
        await api.post('/api/v1/models', { name: 'duel' })
        await version('duel')
        await version('duel')
        for (let round = 0; round < 5; round++) {
          await Promise.all([
            api.post('/api/v1/models/duel/versions/1/stage', { stage: 'Production' }),
            api.post('/api/v1/models/duel/versions/2/stage', { stage: 'Production' }),
          ])
          expect((await api.get('/api/v1/versions?model=duel&stage=Production')).body.items).toHaveLength(1)
        }
      })
    })

    describe('audit trail and service endpoints', () => {
      it('records every change in a hash chain that verifies', async () => {
        const events = await api.get('/api/v1/audit?target=model:churn')
        expect(events.body.items[0]).toMatchObject({ action: 'model.create', actor: 'tester', target: 'model:churn' })
        expect((await api.get('/api/v1/audit/verify')).body).toMatchObject({ ok: true })
      })

      it('answers health and readiness probes', async () => {
        expect((await api.get('/healthz')).body.status).toBe('ok')
        expect((await api.get('/readyz')).body).toMatchObject({ status: 'ready', database: backend })
      })

      it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
        const { body } = await api.get('/api/v1/openapi.json')
        expect(body.openapi).toBe('3.1.0')
        expect(body.paths['/api/v1/models/{model}/versions'].post.requestBody.content['application/json'].schema.required).toContain('files')
      })

      it('tags every response with a request id', async () => {
        const response = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'trace-123' } })
        expect(response.headers.get('x-request-id')).toBe('trace-123')
      })
    })
  })
}
