import { Limits } from '@canon/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chunks } from '../../src/store/query-helpers'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client } from '../support/http'

// No list answers without bound: each takes a page size with a maximum the server enforces, or is capped by the
// server itself. The native table is checked against the OpenAPI document, so a new list route cannot go unlisted.
type Bound = { pageSize: 'limit'; query?: string; max?: number } | { cap: number; why: string }

const nativeLists: Record<string, Bound> = {
  'GET /api/v1/models': { pageSize: 'limit' },
  'GET /api/v1/models/{model}/versions': { pageSize: 'limit' },
  'GET /api/v1/versions': { pageSize: 'limit' },
  'GET /api/v1/audit': { pageSize: 'limit' },
  'GET /api/v1/requests': { pageSize: 'limit' },
  'GET /api/v1/users': { cap: Limits.pageSize, why: 'the first 1000 users by name' },
  'GET /api/v1/users/{user}/tokens': { cap: Limits.pageSize, why: "the user's latest 1000 tokens" },
  'GET /api/v1/models/{model}/versions/{version}/transitions': { cap: Limits.pageSize, why: 'the latest 1000 stage changes' },
  'GET /api/v1/models/{model}/versions/{version}/files': { cap: Limits.filesPerVersion, why: 'a manifest with more files is refused when the version is created' },
  'GET /api/v1/datasets/consumers': { pageSize: 'limit', query: 'uri=dataset%3A%2F%2Fx%2F1' },
  'GET /api/v1/deployments': { pageSize: 'limit' },
  'GET /api/v1/deployments/{name}/history': { pageSize: 'limit' },
  'GET /api/v1/models/{model}/compare': { cap: 10, why: 'compares 2 to 10 versions named in the request' },
  'GET /api/v1/models/{model}/versions/{version}/descendants': { cap: 200, why: 'the walk stops at 200 relatives and says truncated' },
  'GET /api/v1/webhooks': { cap: Limits.pageSize, why: 'the first 1000 webhooks' },
  'GET /api/v1/webhooks/{webhook}/deliveries': { pageSize: 'limit', max: 500 },
  'GET /api/v1/schedules': { cap: Limits.pageSize, why: 'the first 1000 schedules' },
  'GET /api/v1/schedules/{schedule}/fires': { pageSize: 'limit', max: 500 },
}

// MLflow's own page-size ceilings, which its clients rely on (max_results above them is refused).
const mlflowSearches: [string, string, number][] = [
  ['GET', '/api/2.0/mlflow/registered-models/search', 1000],
  ['GET', '/api/2.0/mlflow/model-versions/search', 200_000],
  ['GET', '/api/2.0/mlflow/experiments/search', 50_000],
  ['POST', '/api/2.0/mlflow/runs/search', 50_000],
  ['GET', '/api/2.0/mlflow/webhooks', 1000],
]

const BASE = 1_767_225_600_000
const OVER = Limits.pageSize + 1

for (const backend of backends) {
  describe(`every list route bounds its page size (${backend})`, () => {
    let server: TestServer
    let api: ReturnType<typeof client>
    let modelId: number
    let versionId: number

    beforeAll(async () => {
      server = await startTestServer(backend)
      api = client(server.url)
      const db = server.store.db
      await api.post('/api/v1/models', { name: 'many' })
      const file = await api.upload('model.bin', Buffer.from('weights'))
      await api.post('/api/v1/models/many/versions', { files: [file] })
      await api.post('/api/v1/users', { name: 'holder' })
      modelId = Number((await db.selectFrom('registered_models').select('id').where('name', '=', 'many').executeTakeFirstOrThrow()).id)
      versionId = Number((await db.selectFrom('model_versions').select('id').where('model_id', '=', modelId).executeTakeFirstOrThrow()).id)
      const userId = Number((await db.selectFrom('users').select('id').where('name', '=', 'holder').executeTakeFirstOrThrow()).id)
      // More rows than any page may hold, written straight into the store (HTTP would take minutes).
      const n = Array.from({ length: OVER }, (_, i) => i + 1)
      for (const batch of chunks(n, 200)) {
        await db.insertInto('registered_models').values(batch.map((i) => ({ name: `bulk-${i}`, description: '', created_at: BASE, updated_at: BASE, created_by: 't', next_version: 1 }))).execute()
        await db
          .insertInto('model_versions')
          .values(batch.map((i) => ({ model_id: modelId, version: i + 1, description: '', stage: 'None', source: null, run_id: null, file_count: 0, total_size: 0, created_at: BASE + i, updated_at: BASE + i, created_by: 't', stage_updated_at: BASE })))
          .execute()
        await db.insertInto('users').values(batch.map((i) => ({ name: `user-${i}`, kind: 'user', created_at: BASE, created_by: 't', disabled_at: null }))).execute()
        await db
          .insertInto('api_tokens')
          .values(batch.map((i) => ({ user_id: userId, name: `t${i}`, token_hash: `hash-${i}`, hint: 'canon_x', created_at: BASE + i, expires_at: null, revoked_at: null, last_used_at: null })))
          .execute()
        await db.insertInto('stage_transitions').values(batch.map((i) => ({ version_id: versionId, from_stage: 'None', to_stage: i % 2 ? 'Staging' : 'None', actor: 't', reason: null, at: BASE + i }))).execute()
      }
      // Audit events as rows only (the hash chain is not what this test reads).
      const { seq } = await db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow()
      for (const batch of chunks(n, 200)) {
        await db
          .insertInto('audit_events')
          .values(batch.map((i) => ({ seq: Number(seq ?? 0) + i, at: BASE + i, actor: 't', action: 'model.update', target: 'model:many', before: null, after: null, reason: null, prev_hash: 'x', hash: 'x' })))
          .execute()
      }
    }, 120_000)
    afterAll(async () => server?.stop())

    it('the table names every list operation of the OpenAPI document, each with a page-size maximum or a cap', async () => {
      const doc = (await api.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: { maximum?: number } }[]; responses?: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, { type?: string }> } }> }> }>> }
      const lists: string[] = []
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const properties = operation.responses?.['200']?.content?.['application/json']?.schema?.properties ?? {}
          if (!['items', 'files'].some((name) => properties[name]?.type === 'array')) continue
          const key = `${method.toUpperCase()} ${path}`
          lists.push(key)
          const bound = nativeLists[key]
          if (bound && 'pageSize' in bound) {
            const limit = operation.parameters?.find((p) => p.in === 'query' && p.name === 'limit')
            expect(limit?.schema?.maximum, `${key} limit maximum`).toBeLessThanOrEqual(Limits.pageSize)
          }
        }
      }
      expect(lists.sort()).toEqual(Object.keys(nativeLists).sort())
    })

    it.each(Object.entries(nativeLists).filter(([, b]) => 'pageSize' in b))('%s refuses a page larger than the maximum', async (key, bound) => {
      const path = key.split(' ')[1]!.replace('{model}', 'many').replace(/\{(name|webhook|schedule)\}/, 'none')
      const query = 'query' in bound && bound.query ? `${bound.query}&` : ''
      const max = ('max' in bound && bound.max) || Limits.pageSize
      expect((await api.get(`${path}?${query}limit=${max}`)).status, 'the maximum itself is accepted').not.toBe(400)
      const response = await api.get(`${path}?${query}limit=${max + 1}`)
      expect(response.status).toBe(400)
      expect(response.body.error.code).toBe('INVALID_INPUT')
      expect(JSON.stringify(response.body.error.details)).toContain('limit')
    })

    it('pages hold the default without a limit and the maximum with one, and say there is more', async () => {
      for (const path of ['/api/v1/models', '/api/v1/versions', '/api/v1/models/many/versions']) {
        const page = await api.get(path)
        expect(page.body.items, path).toHaveLength(Limits.defaultPageSize)
        const full = await api.get(`${path}${path.includes('?') ? '&' : '?'}limit=${Limits.pageSize}`)
        expect(full.body.items, path).toHaveLength(Limits.pageSize)
        expect(full.body.nextCursor, path).toEqual(expect.any(String))
      }
      expect((await api.get('/api/v1/audit')).body.items).toHaveLength(Limits.defaultPageSize)
      const audit = await api.get(`/api/v1/audit?limit=${Limits.pageSize}`)
      expect(audit.body.items).toHaveLength(Limits.pageSize)
      expect(audit.body.nextAfter).not.toBeNull()
    })

    it('capped lists stop at their cap', async () => {
      expect((await api.get('/api/v1/users')).body.items).toHaveLength(Limits.pageSize)
      const tokens = (await api.get('/api/v1/users/holder/tokens')).body.items as { name: string }[]
      expect(tokens).toHaveLength(Limits.pageSize)
      expect(tokens.at(-1)!.name).toBe(`t${OVER}`)
      const transitions = (await api.get('/api/v1/models/many/versions/1/transitions')).body.items as { at: string }[]
      expect(transitions).toHaveLength(Limits.pageSize)
      expect(Date.parse(transitions.at(-1)!.at)).toBe(BASE + OVER)
    })

    it.each(mlflowSearches)('MLflow %s %s refuses max_results above %i', async (method, path, max) => {
      const response = method === 'GET' ? await api.get(`${path}?max_results=${max + 1}`) : await api.post(path, { experiment_ids: ['0'], max_results: max + 1 })
      expect(response.status).toBe(400)
      expect(response.body.error_code).toBe('INVALID_PARAMETER_VALUE')
    })
  })
}
