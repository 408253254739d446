import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/index'
import { backends, tempDir, type TestServer } from '../support/backends'
import { createTestDatabase } from '../support/postgres'
import {
  ADMIN_TOKEN,
  adminOf,
  basic,
  bearer,
  Caller,
  expectMlflowError,
  expectNativeError,
  nobody,
  startAuthServer,
  tokenRows,
  userWithToken,
  withDatabase,
  type Reply,
} from './auth-harness'
import { ServeProcess } from './serve-process'

const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex')
const ml = '/api/2.0/mlflow'
const SEARCH = `${ml}/registered-models/search`

interface Token {
  id: number
  name: string
  hint: string
  createdAt: string
  expiresAt: string | null
  revokedAt: string | null
  lastUsedAt: string | null
  token?: string
}

describe.each(backends)('identities and API tokens on %s', (backend) => {
  let server: TestServer
  let admin: Caller

  beforeAll(async () => {
    server = await startAuthServer(backend)
    admin = adminOf(server)
  })
  afterAll(async () => {
    await server?.stop()
  })

  const newToken = (user: string, body: { name: string; expiresInDays?: number } = { name: 'laptop' }, as: Caller = admin) =>
    as.send<Token>('POST', `/api/v1/users/${user}/tokens`, { json: body })
  const tokensOf = async (user: string, as: Caller = admin) => (await as.ok<{ items: Token[] }>('GET', `/api/v1/users/${user}/tokens`)).items

  describe('the first start with auth on', () => {
    it('makes CANON_ADMIN_TOKEN the token of user admin, with a global admin grant', async () => {
      expect(await admin.ok('GET', '/api/v1/whoami')).toEqual({ name: 'admin', authEnabled: true, grants: [{ role: 'admin', scope: '*' }] })
      const user = await admin.ok('GET', '/api/v1/users/admin')
      expect(user).toMatchObject({ name: 'admin', kind: 'user', disabled: false, createdBy: 'canon-bootstrap', grants: [{ role: 'admin', scope: '*' }] })
    })

    it('lets the admin token through on the MLflow face too', async () => {
      expect((await admin.send('GET', SEARCH)).status).toBe(200)
    })
  })

  describe('credentials', () => {
    it('refuses a request without credentials with 401 UNAUTHENTICATED on both faces', async () => {
      expectNativeError(await nobody(server).send('GET', '/api/v1/models'), 401, 'UNAUTHENTICATED')
      expectMlflowError(await nobody(server).send('GET', SEARCH), 401, 'UNAUTHENTICATED')
    })

    it('refuses a token it never issued, and says the token is not valid', async () => {
      const forged = bearer(server, `canon_${'x'.repeat(43)}`)
      const reply = await forged.send('GET', '/api/v1/whoami')
      expectNativeError(reply, 401, 'UNAUTHENTICATED')
      expect(reply.body.error.message).toMatch(/not valid/i)
      expectMlflowError(await forged.send('GET', SEARCH), 401, 'UNAUTHENTICATED')
    })

    it('refuses an Authorization header that is neither Bearer nor Basic, or has nothing after the scheme', async () => {
      for (const header of ['Token abc', 'Bearer', 'Bearer ', 'Basic', 'Basic bm9jb2xvbg==' /* "nocolon" */]) {
        expectNativeError(await new Caller(server.url, { header }).send('GET', '/api/v1/whoami'), 401, 'UNAUTHENTICATED', header)
      }
    })

    it('accepts a Bearer token on the MLflow face', async () => {
      const token = await userWithToken(admin, 'mlflow-bearer', [{ role: 'viewer', scope: '*' }])
      const reply = await bearer(server, token).send('GET', SEARCH)
      expect(reply.status, reply.text).toBe(200)
    })

    it('accepts HTTP Basic on the MLflow face with the user name and the token as password', async () => {
      const token = await userWithToken(admin, 'mlflow-basic', [{ role: 'viewer', scope: '*' }])
      expect((await basic(server, 'mlflow-basic', token).send('GET', SEARCH)).status).toBe(200)
      expect((await basic(server, 'mlflow-basic', token).send('GET', '/api/v1/whoami')).body).toMatchObject({ name: 'mlflow-basic' })
    })

    it("refuses HTTP Basic whose user name is not the token's owner, and a wrong password", async () => {
      const token = await userWithToken(admin, 'mlflow-owner', [{ role: 'viewer', scope: '*' }])
      const mismatched = await basic(server, 'admin', token).send('GET', SEARCH)
      expectMlflowError(mismatched, 401, 'UNAUTHENTICATED')
      expect(mismatched.body.message).toContain('mlflow-owner')
      expectMlflowError(await basic(server, 'mlflow-owner', `${token}x`).send('GET', SEARCH), 401, 'UNAUTHENTICATED')
      expectNativeError(await basic(server, 'someone-else', token).send('GET', '/api/v1/whoami'), 401, 'UNAUTHENTICATED')
    })
  })

  describe('tokens', () => {
    it('shows a new token once: in the response that creates it, never in a list or the audit trail', async () => {
      await userWithToken(admin, 'once', [{ role: 'viewer', scope: '*' }])
      const created = await newToken('once', { name: 'ci' })
      expect(created.status).toBe(201)
      const plain = created.body.token!
      expect(plain).toMatch(/^canon_[A-Za-z0-9_-]{40,}$/)
      expect(created.body).toMatchObject({ name: 'ci', revokedAt: null, lastUsedAt: null, expiresAt: null })
      // the hint is derived from the token's hash, so it names the token without revealing any of it
      expect(created.body.hint).toBe(`sha256:${sha256hex(plain).slice(0, 8)}`)

      const list = await admin.send('GET', '/api/v1/users/once/tokens')
      expect(list.body.items.every((t: Token) => !('token' in t))).toBe(true)
      expect(list.text).not.toContain(plain)
      const audit = await admin.send('GET', '/api/v1/audit?limit=1000')
      expect(audit.status).toBe(200)
      expect(audit.text).not.toContain(plain)
      expect(audit.text).not.toContain(ADMIN_TOKEN)
    })

    it('stores only the SHA-256 of each token, never the token itself', async () => {
      const plain = (await newToken('admin', { name: 'hashed' })).body.token!
      const rows = await tokenRows(server)
      for (const token of [plain, ADMIN_TOKEN]) {
        expect(rows.filter((r) => r.token_hash === sha256hex(token)), 'one row holds the hash').toHaveLength(1)
        for (const row of rows) {
          for (const [column, value] of Object.entries(row)) expect(String(value), `api_tokens.${column} of token ${row.id}`).not.toContain(token)
        }
      }
      // the hint tells tokens apart without giving away any part of the secret
      for (const row of rows) expect(row.hint).toBe(`sha256:${row.token_hash.slice(0, 8)}`)
    })

    it('records an expiry for a token created with expiresInDays, and refuses it with 401 once that time has passed', async () => {
      const token = await userWithToken(admin, 'expiring', [{ role: 'viewer', scope: '*' }])
      const created = (await newToken('expiring', { name: 'short-lived', expiresInDays: 30 })).body
      expect(Date.parse(created.expiresAt!) - Date.parse(created.createdAt)).toBe(30 * 86_400_000)
      const shortLived = bearer(server, created.token!)
      expect((await shortLived.send('GET', '/api/v1/whoami')).status).toBe(200)

      // Move the expiry into the past in the database, rather than waiting 30 days.
      await withDatabase(server, 'write', (query) => query('update api_tokens set expires_at = ? where id = ?', [Date.parse(created.createdAt) - 1000, created.id]))
      const refused = await shortLived.send('GET', '/api/v1/whoami')
      expectNativeError(refused, 401, 'UNAUTHENTICATED')
      expect(refused.body.error.message).toMatch(/expired/i)
      const onMlflow = await shortLived.send('GET', SEARCH)
      expectMlflowError(onMlflow, 401, 'UNAUTHENTICATED')
      expect(onMlflow.body.message).toMatch(/expired/i)
      expect((await bearer(server, token).send('GET', '/api/v1/whoami')).status, "the user's other token still works").toBe(200)
    })

    it('refuses a revoked token with 401 and keeps the revocation in the list', async () => {
      const kept = await userWithToken(admin, 'revoking', [{ role: 'viewer', scope: '*' }])
      const doomed = (await newToken('revoking', { name: 'doomed' })).body
      expect((await bearer(server, doomed.token!).send('GET', '/api/v1/whoami')).status).toBe(200)
      expect((await admin.send('DELETE', `/api/v1/users/revoking/tokens/${doomed.id}`)).status).toBe(204)
      const refused = await bearer(server, doomed.token!).send('GET', '/api/v1/whoami')
      expectNativeError(refused, 401, 'UNAUTHENTICATED')
      expect(refused.body.error.message).toMatch(/revoked/i)
      expectMlflowError(await bearer(server, doomed.token!).send('GET', SEARCH), 401, 'UNAUTHENTICATED')
      expect((await bearer(server, kept).send('GET', '/api/v1/whoami')).status).toBe(200)
      const listed = (await tokensOf('revoking')).find((t) => t.id === doomed.id)
      expect(listed?.revokedAt).toEqual(expect.any(String))
    })

    it('records when a token was last used', async () => {
      await userWithToken(admin, 'user-of-tokens', [{ role: 'viewer', scope: '*' }])
      const created = (await newToken('user-of-tokens', { name: 'watched' })).body
      expect((await tokensOf('user-of-tokens')).find((t) => t.id === created.id)?.lastUsedAt).toBeNull()
      await bearer(server, created.token!).ok('GET', '/api/v1/models')
      const used = (await tokensOf('user-of-tokens')).find((t) => t.id === created.id)!
      expect(used.lastUsedAt).toEqual(expect.any(String))
      expect(Date.parse(used.lastUsedAt!)).toBeGreaterThanOrEqual(Date.parse(used.createdAt))
      const row = (await tokenRows(server)).find((r) => r.id === created.id)!
      expect(row.last_used_at).toBe(Date.parse(used.lastUsedAt!))
    })

    it("refuses every token of a disabled user with 401 until the user is enabled again", async () => {
      const token = await userWithToken(admin, 'on-leave', [{ role: 'editor', scope: '*' }])
      const second = (await newToken('on-leave', { name: 'second' })).body.token!
      expect((await admin.send('POST', '/api/v1/users/on-leave/disable')).body).toMatchObject({ name: 'on-leave', disabled: true })
      for (const t of [token, second]) {
        const refused = await bearer(server, t).send('GET', '/api/v1/whoami')
        expectNativeError(refused, 401, 'UNAUTHENTICATED')
        expect(refused.body.error.message).toMatch(/disabled/i)
        expectMlflowError(await basic(server, 'on-leave', t).send('GET', SEARCH), 401, 'UNAUTHENTICATED')
      }
      expect((await admin.send('POST', '/api/v1/users/on-leave/enable')).body).toMatchObject({ disabled: false })
      expect((await bearer(server, token).send('GET', '/api/v1/whoami')).body).toMatchObject({ name: 'on-leave' })
    })

    it('does not let an admin disable themselves', async () => {
      expectNativeError(await admin.send('POST', '/api/v1/users/admin/disable'), 409, 'INVALID_STATE')
      expect((await admin.send('GET', '/api/v1/whoami')).status).toBe(200)
    })
  })

  describe('managing tokens', () => {
    let viewer: Caller
    let editorToken: string

    beforeAll(async () => {
      viewer = bearer(server, await userWithToken(admin, 'self-service', [{ role: 'viewer', scope: '*' }]))
      editorToken = await userWithToken(admin, 'colleague', [{ role: 'editor', scope: '*' }])
    })

    it('lets users create, list and revoke their own tokens', async () => {
      const created = await newToken('self-service', { name: 'notebook', expiresInDays: 7 }, viewer)
      expect(created.status, created.text).toBe(201)
      const mine = await tokensOf('self-service', viewer)
      expect(mine.map((t) => t.name)).toEqual(expect.arrayContaining(['tests', 'notebook']))
      expect((await bearer(server, created.body.token!).send('GET', '/api/v1/whoami')).body).toMatchObject({ name: 'self-service' })
      expect((await viewer.send('DELETE', `/api/v1/users/self-service/tokens/${created.body.id}`)).status).toBe(204)
      expectNativeError(await bearer(server, created.body.token!).send('GET', '/api/v1/whoami'), 401, 'UNAUTHENTICATED')
    })

    it("refuses with 403 to create, list or revoke someone else's tokens", async () => {
      const [theirs] = await tokensOf('colleague')
      expectNativeError(await viewer.send('POST', '/api/v1/users/colleague/tokens', { json: { name: 'stolen' } }), 403, 'PERMISSION_DENIED')
      expectNativeError(await viewer.send('GET', '/api/v1/users/colleague/tokens'), 403, 'PERMISSION_DENIED')
      expectNativeError(await viewer.send('DELETE', `/api/v1/users/colleague/tokens/${theirs!.id}`), 403, 'PERMISSION_DENIED')
      expect((await tokensOf('colleague')).map((t) => t.name)).toEqual(['tests'])
      expect((await bearer(server, editorToken).send('GET', '/api/v1/whoami')).status).toBe(200)
    })

    it("does not revoke someone else's token named under one's own user", async () => {
      const [theirs] = await tokensOf('colleague')
      expectNativeError(await viewer.send('DELETE', `/api/v1/users/self-service/tokens/${theirs!.id}`), 404, 'TOKEN_NOT_FOUND')
      expect((await bearer(server, editorToken).send('GET', '/api/v1/whoami')).status).toBe(200)
    })

    it('does not tell a non-admin whether another user exists', async () => {
      const existing = await viewer.send('GET', '/api/v1/users/colleague/tokens')
      const missing = await viewer.send('GET', '/api/v1/users/nobody-by-this-name/tokens')
      expect([existing.status, existing.body.error.code]).toEqual([missing.status, missing.body.error.code])
    })

    it('refuses non-admins any change to users or grants, their own included', async () => {
      const editor = bearer(server, editorToken)
      expectNativeError(await viewer.send('PUT', '/api/v1/users/self-service/grants', { json: { role: 'admin', scope: '*' } }), 403, 'PERMISSION_DENIED')
      expectNativeError(await editor.send('PUT', '/api/v1/users/colleague/grants', { json: { role: 'admin', scope: '*' } }), 403, 'PERMISSION_DENIED')
      expectNativeError(await editor.send('POST', '/api/v1/users', { json: { name: 'sock-puppet' } }), 403, 'PERMISSION_DENIED')
      expectNativeError(await editor.send('POST', '/api/v1/users/self-service/disable'), 403, 'PERMISSION_DENIED')
      expect((await admin.ok('GET', '/api/v1/users/colleague')).grants).toEqual([{ role: 'editor', scope: '*' }])
      expect((await viewer.ok('GET', '/api/v1/whoami')).grants).toEqual([{ role: 'viewer', scope: '*' }])
    })
  })

  describe("a grant on a name prefix ('fraud-*')", () => {
    const WEIGHTS = Buffer.from('churn weights nobody outside the churn team may see\n')
    const DIGEST = `sha256:${sha256hex(WEIGHTS.toString())}`
    let fraud: Caller
    let churnVersionId: string

    beforeAll(async () => {
      fraud = bearer(server, await userWithToken(admin, 'fraud-team', [{ role: 'editor', scope: 'fraud-*' }]))
      expect((await admin.send('PUT', `/api/v1/blobs/${DIGEST}`, { raw: WEIGHTS, contentType: 'application/octet-stream' })).status).toBeLessThan(300)
      await admin.ok('POST', '/api/v1/models', { name: 'churn' })
      await admin.ok('POST', '/api/v1/models/churn/versions', { files: [{ path: 'weights.bin', size: WEIGHTS.length, digest: DIGEST }] })
      const uri = await admin.ok<{ artifact_uri: string }>('GET', `${ml}/model-versions/get-download-uri?name=churn&version=1`)
      churnVersionId = uri.artifact_uri.split('/').at(-1)!
    })

    /** Every version of a model the fraud team can see carries none of churn's bytes. */
    async function expectNoChurnFilesIn(model: string) {
      const versions = await admin.ok<{ items: { version: number }[] }>('GET', `/api/v1/models/${model}/versions`)
      for (const { version } of versions.items) {
        const files = await admin.ok<{ files: { digest: string }[] }>('GET', `/api/v1/models/${model}/versions/${version}/files`)
        expect(files.files.map((f) => f.digest), `${model} v${version}`).not.toContain(DIGEST)
      }
    }

    it('lets an editor create and change models under the prefix, natively and through MLflow', async () => {
      expect((await fraud.send('POST', '/api/v1/models', { json: { name: 'fraud-x', description: 'card fraud' } })).status).toBe(201)
      expect((await fraud.send('PATCH', '/api/v1/models/fraud-x', { json: { description: 'card fraud, v2' } })).status).toBe(200)
      expect((await fraud.send('PUT', '/api/v1/models/fraud-x/tags/team', { json: { value: 'fraud' } })).status).toBe(200)
      expect((await fraud.send('POST', `${ml}/registered-models/create`, { json: { name: 'fraud-y' } })).status).toBe(200)
      expect((await fraud.send('POST', `${ml}/registered-models/set-tag`, { json: { name: 'fraud-y', key: 'team', value: 'fraud' } })).status).toBe(200)
    })

    it('hides churn from that editor: reading it answers 404 MODEL_NOT_FOUND, as for a model that does not exist', async () => {
      expectNativeError(await fraud.send('GET', '/api/v1/models/churn'), 404, 'MODEL_NOT_FOUND')
      expectNativeError(await fraud.send('GET', '/api/v1/models/churn/versions/1'), 404, 'MODEL_NOT_FOUND')
      expectNativeError(await fraud.send('GET', `/api/v1/resolve?uri=${encodeURIComponent('models:/churn/1')}`), 404, 'MODEL_NOT_FOUND')
      expectMlflowError(await fraud.send('GET', `${ml}/registered-models/get?name=churn`), 404, 'RESOURCE_DOES_NOT_EXIST')
    })

    it('refuses that editor any change to churn, answering as it would for a model that does not exist', async () => {
      const attempts: [string, string, unknown][] = [
        ['PATCH', '/api/v1/models/churn', { description: 'mine now' }],
        ['PUT', '/api/v1/models/churn/tags/team', { value: 'fraud' }],
        ['POST', '/api/v1/models/churn/versions', { files: [] }],
        ['POST', '/api/v1/models', { name: 'churn-2' }],
        ['PATCH', '/api/v1/models/fraud-x', { name: 'churn-x' }],
      ]
      for (const [method, path, json] of attempts) {
        const reply = await fraud.send(method, path, { json })
        const ghost = await fraud.send(method, path.replace('churn', 'ghost'), { json: JSON.parse(JSON.stringify(json).replace('churn', 'ghost')) })
        expect(reply.status, `${method} ${path} → ${reply.text}`).toBeOneOf([403, 404])
        expect([reply.status, reply.body.error.code], `${method} ${path} answers as for a model that does not exist`).toEqual([ghost.status, ghost.body.error.code])
      }
      const churn = await admin.ok('GET', '/api/v1/models/churn')
      expect(churn).toMatchObject({ name: 'churn', tags: {}, latestVersion: 1 })
      expectNativeError(await admin.send('GET', '/api/v1/models/churn-2'), 404, 'MODEL_NOT_FOUND')
      expect(await admin.ok('GET', '/api/v1/models/fraud-x')).toMatchObject({ name: 'fraud-x' })
    })

    it("does not cover names that merely start with the prefix's letters", async () => {
      for (const name of ['fraudulent', 'fraud', 'FRAUD-x']) {
        expect((await fraud.send('POST', '/api/v1/models', { json: { name } })).status, name).toBeOneOf([403, 404])
      }
    })

    it("does not let that editor copy churn's files into a fraud model through an MLflow models:/ source", async () => {
      await fraud.ok('POST', '/api/v1/models', { name: 'fraud-copy-models' })
      const reply = await fraud.send('POST', `${ml}/model-versions/create`, { json: { name: 'fraud-copy-models', source: 'models:/churn/1' } })
      expectMlflowError(reply, 404, 'RESOURCE_DOES_NOT_EXIST', 'model-versions/create from models:/churn/1')
      await expectNoChurnFilesIn('fraud-copy-models')
    })

    it("does not let that editor copy churn's files through an mlflow-artifacts:/ source under _canon", async () => {
      const source = `mlflow-artifacts:/_canon/model-versions/${churnVersionId}`
      await fraud.ok('POST', '/api/v1/models', { name: 'fraud-copy-artifacts' })
      const reply = await fraud.send('POST', `${ml}/model-versions/create`, { json: { name: 'fraud-copy-artifacts', source } })
      expectMlflowError(reply, 404, 'RESOURCE_DOES_NOT_EXIST', `model-versions/create from ${source}`)
      await expectNoChurnFilesIn('fraud-copy-artifacts')
      expectMlflowError(await fraud.send('GET', `/api/2.0/mlflow-artifacts/artifacts/_canon/model-versions/${churnVersionId}/weights.bin`), 404, 'RESOURCE_DOES_NOT_EXIST')
    })

    it("does not show that editor churn's files through a run whose experiment points into _canon", async () => {
      const location = `mlflow-artifacts:/_canon/model-versions/${churnVersionId}`
      const experiment = await fraud.send('POST', `${ml}/experiments/create`, { json: { name: 'peek', artifact_location: location } })
      if (experiment.status !== 200) return // refusing such an experiment outright is also fine
      const run = await fraud.ok<{ run: { info: { run_id: string } } }>('POST', `${ml}/runs/create`, { experiment_id: experiment.body.experiment_id })
      const runId = run.run.info.run_id
      const listing = await fraud.send('GET', `${ml}/artifacts/list?run_id=${runId}`)
      expect(listing.text, 'the run lists none of churn’s files').not.toContain('weights.bin')
      await fraud.ok('POST', '/api/v1/models', { name: 'fraud-copy-run' })
      await fraud.send('POST', `${ml}/model-versions/create`, { json: { name: 'fraud-copy-run', source: `runs:/${runId}`, run_id: runId } })
      await expectNoChurnFilesIn('fraud-copy-run')
    })
  })

  describe('lists and searches', () => {
    let fraudViewer: Caller

    beforeAll(async () => {
      fraudViewer = bearer(server, await userWithToken(admin, 'fraud-analyst', [{ role: 'viewer', scope: 'fraud-*' }, { role: 'viewer', scope: 'shared' }]))
      const manifest = { files: [] }
      for (const name of ['fraud-a', 'fraud-b', 'shared', 'retention', 'fraudulent']) {
        await admin.ok('POST', '/api/v1/models', { name, tags: { team: 'x' } })
        await admin.ok('POST', `/api/v1/models/${name}/versions`, manifest)
      }
    })

    const visible = (name: string) => name.startsWith('fraud-') || name === 'shared'

    it('/api/v1/models lists only the models the caller may see, on every page', async () => {
      const names: string[] = []
      let cursor: string | null = null
      do {
        const page: { items: { name: string }[]; nextCursor: string | null } = await fraudViewer.ok('GET', `/api/v1/models?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
        names.push(...page.items.map((m) => m.name))
        cursor = page.nextCursor
      } while (cursor)
      expect(names).toEqual(expect.arrayContaining(['fraud-a', 'fraud-b', 'shared']))
      expect(names.filter((n) => !visible(n))).toEqual([])
      const searched = await fraudViewer.ok<{ items: { name: string }[] }>('GET', '/api/v1/models?q=retention')
      expect(searched.items).toEqual([])
    })

    it('/api/v1/versions lists only versions of models the caller may see', async () => {
      const page = await fraudViewer.ok<{ items: { model: string }[] }>('GET', '/api/v1/versions?limit=1000')
      expect(page.items.map((v) => v.model)).toEqual(expect.arrayContaining(['fraud-a', 'fraud-b', 'shared']))
      expect(page.items.map((v) => v.model).filter((n) => !visible(n))).toEqual([])
      expect((await fraudViewer.ok<{ items: unknown[] }>('GET', '/api/v1/versions?model=retention')).items).toEqual([])
    })

    it('MLflow registered-models/search returns only visible models, whatever the filter', async () => {
      const all = await fraudViewer.ok<{ registered_models?: { name: string }[] }>('GET', `${SEARCH}?max_results=1000`)
      const names = (all.registered_models ?? []).map((m) => m.name)
      expect(names).toEqual(expect.arrayContaining(['fraud-a', 'fraud-b', 'shared']))
      expect(names.filter((n) => !visible(n))).toEqual([])
      const filtered = await fraudViewer.ok<{ registered_models?: unknown[] }>('GET', `${SEARCH}?filter=${encodeURIComponent("name = 'retention'")}`)
      expect(filtered.registered_models ?? []).toEqual([])
      const liked = await fraudViewer.ok<{ registered_models?: { name: string }[] }>('GET', `${SEARCH}?filter=${encodeURIComponent("name LIKE 'fraud%'")}`)
      expect((liked.registered_models ?? []).map((m) => m.name).filter((n) => !visible(n))).toEqual([])
    })

    it('MLflow model-versions/search returns only versions of visible models, whatever the filter', async () => {
      const all = await fraudViewer.ok<{ model_versions?: { name: string }[] }>('GET', `${ml}/model-versions/search?max_results=1000`)
      const names = (all.model_versions ?? []).map((v) => v.name)
      expect(names).toEqual(expect.arrayContaining(['fraud-a', 'fraud-b', 'shared']))
      expect(names.filter((n) => !visible(n))).toEqual([])
      const filtered = await fraudViewer.ok<{ model_versions?: unknown[] }>('GET', `${ml}/model-versions/search?filter=${encodeURIComponent("name = 'retention'")}`)
      expect(filtered.model_versions ?? []).toEqual([])
    })

    it('an admin still sees everything', async () => {
      const names = (await admin.ok<{ items: { name: string }[] }>('GET', '/api/v1/models?limit=1000')).items.map((m) => m.name)
      expect(names).toEqual(expect.arrayContaining(['fraud-a', 'fraud-b', 'shared', 'retention', 'fraudulent']))
    })
  })

  describe('the audit trail', () => {
    interface AuditEvent {
      seq: number
      actor: string
      action: string
      target: string
      before: unknown
      after: unknown
    }
    const eventsFor = async (target: string) => (await admin.ok<{ items: AuditEvent[] }>('GET', `/api/v1/audit?limit=1000&target=${encodeURIComponent(target)}`)).items

    it('records the bootstrap of the admin', async () => {
      const events = await eventsFor('user:admin')
      expect(events.slice(0, 3).map((e) => [e.actor, e.action])).toEqual([
        ['canon-bootstrap', 'user.create'],
        ['canon-bootstrap', 'grant.create'],
        ['canon-bootstrap', 'token.create'],
      ])
    })

    it('records every identity change, by whom, and the chain still verifies', async () => {
      await admin.ok('POST', '/api/v1/users', { name: 'audited', kind: 'service' })
      await admin.ok('PUT', '/api/v1/users/audited/grants', { role: 'editor', scope: 'fraud-*' })
      const created = (await newToken('audited', { name: 'pipeline', expiresInDays: 90 })).body
      const own = (await newToken('audited', { name: 'own' }, bearer(server, created.token!))).body
      expect((await admin.send('DELETE', `/api/v1/users/audited/tokens/${own.id}`)).status).toBe(204)
      await admin.ok('POST', '/api/v1/users/audited/disable')
      await admin.ok('POST', '/api/v1/users/audited/enable')
      expect((await admin.send('DELETE', '/api/v1/users/audited/grants?role=editor&scope=fraud-*')).status).toBe(204)

      const events = await eventsFor('user:audited')
      expect(events.map((e) => [e.actor, e.action])).toEqual([
        ['admin', 'user.create'],
        ['admin', 'grant.create'],
        ['admin', 'token.create'],
        ['audited', 'token.create'],
        ['admin', 'token.revoke'],
        ['admin', 'user.disable'],
        ['admin', 'user.enable'],
        ['admin', 'grant.delete'],
      ])
      expect(events[1]!.after).toEqual({ role: 'editor', scope: 'fraud-*' })
      expect(events[7]!.before).toEqual({ role: 'editor', scope: 'fraud-*' })
      const text = JSON.stringify(events)
      expect(text).not.toContain(created.token!)
      expect(text).not.toContain(own.token!)

      const verified = await admin.ok<{ ok: boolean; events: number }>('GET', '/api/v1/audit/verify')
      expect(verified).toMatchObject({ ok: true })
      expect(verified.events).toBeGreaterThanOrEqual(events.length)
    })

    it('keeps the audit trail from callers without a global grant', async () => {
      const scoped = bearer(server, await userWithToken(admin, 'scoped-viewer', [{ role: 'viewer', scope: 'fraud-*' }]))
      expectNativeError(await scoped.send('GET', '/api/v1/audit'), 403, 'PERMISSION_DENIED')
      expectNativeError(await scoped.send('GET', '/api/v1/audit/verify'), 403, 'PERMISSION_DENIED')
    })
  })
})

describe.each(backends)('canon serve starting with auth on, on %s', (backend) => {
  let dataDir: Awaited<ReturnType<typeof tempDir>>
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined
  const running: ServeProcess[] = []

  beforeAll(async () => {
    dataDir = await tempDir('canon-auth-serve-')
    database = backend === 'postgres' ? await createTestDatabase() : undefined
  })
  afterAll(async () => {
    for (const serving of running) await serving.stop()
    await database?.drop()
    await dataDir?.remove()
  })

  const serve = (env: Record<string, string> = {}) => {
    const serving = new ServeProcess({ CANON_AUTH: 'on', CANON_DATA_DIR: dataDir.path, ...(database && { CANON_DATABASE_URL: database.url }), ...env })
    running.push(serving)
    return serving
  }
  const whoami = (url: string, token: string): Promise<Reply> => new Caller(url, { bearer: token }).send('GET', '/api/v1/whoami')

  it('creates an admin on the first start and prints its token once, on stderr; a restart prints nothing and the token keeps working', async () => {
    const first = serve()
    const url = await first.url()
    const printed = /Its API token \(shown only now\):\s+(canon_\S+)/.exec(first.stderr)
    expect(printed, `stderr: ${first.stderr}`).not.toBeNull()
    const token = printed![1]!
    expect(first.stdout).not.toContain(token)
    expect((await whoami(url, token)).body).toEqual({ name: 'admin', authEnabled: true, grants: [{ role: 'admin', scope: '*' }] })
    expect(await first.stop()).toBe(0)

    const second = serve()
    const again = await second.url()
    expect(second.stderr).not.toContain('canon_')
    expect(second.stdout).not.toContain(token)
    expect((await whoami(again, token)).body).toMatchObject({ name: 'admin' })
    expectNativeError(await nobody({ url: again }).send('GET', '/api/v1/models'), 401, 'UNAUTHENTICATED')
    expect(await second.stop()).toBe(0)
  })

  it('takes the admin token from CANON_ADMIN_TOKEN when set, and prints none', async () => {
    const fresh = await tempDir('canon-auth-serve-')
    const freshDatabase = backend === 'postgres' ? await createTestDatabase() : undefined
    try {
      const serving = serve({ CANON_DATA_DIR: fresh.path, CANON_ADMIN_TOKEN: ADMIN_TOKEN, ...(freshDatabase && { CANON_DATABASE_URL: freshDatabase.url }) })
      const url = await serving.url()
      expect(serving.stderr).not.toMatch(/API token/)
      expect(serving.stderr + serving.stdout).not.toContain(ADMIN_TOKEN)
      expect((await whoami(url, ADMIN_TOKEN)).body).toMatchObject({ name: 'admin', grants: [{ role: 'admin', scope: '*' }] })
      expect(await serving.stop()).toBe(0)
    } finally {
      await freshDatabase?.drop()
      await fresh.remove()
    }
  })
})

describe('listening beyond loopback', () => {
  it('refuses to start without CANON_AUTH=on, with one line naming the fix', async () => {
    expect(() => loadConfig({}, { CANON_HOST: '0.0.0.0' })).toThrow(ConfigError)
    expect(() => loadConfig({}, { CANON_HOST: '10.1.2.3', CANON_AUTH: 'off' })).toThrow(/CANON_AUTH=on/)
    const dir = await tempDir('canon-auth-host-')
    try {
      const refused = new ServeProcess({ CANON_HOST: '0.0.0.0', CANON_DATA_DIR: dir.path })
      expect(await refused.exitCode()).toBe(2)
      const lines = refused.stderr.trimEnd().split('\n')
      expect(lines, refused.stderr).toHaveLength(1)
      expect(lines[0]).toMatch(/^canon: CANON_HOST=0\.0\.0\.0: .*CANON_AUTH=on/)
      expect(refused.stdout).toBe('')
    } finally {
      await dir.remove()
    }
  })

  it('is allowed with CANON_AUTH=on, and loopback is allowed without it', () => {
    expect(loadConfig({}, { CANON_HOST: '0.0.0.0', CANON_AUTH: 'on' }).auth.enabled).toBe(true)
    for (const host of ['127.0.0.1', 'localhost', '::1']) expect(loadConfig({}, { CANON_HOST: host }).auth.enabled, host).toBe(false)
  })
})
