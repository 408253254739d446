import { DatabaseSync } from 'node:sqlite'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pino from 'pino'
import { loadConfig, startServer } from '../../src/index'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client } from '../support/http'
import { ADMIN_TOKEN, bearer, startAuthServer, userWithToken } from '../auth/auth-harness'

// The read cache must never serve what the database no longer says: not after this server's writes, not after another
// process's writes to the same SQLite file.
describe('read cache on sqlite', () => {
  let server: TestServer
  let api: ReturnType<typeof client>

  beforeAll(async () => {
    server = await startTestServer('sqlite')
    api = client(server.url)
    const weights = await api.upload('model.bin', new TextEncoder().encode('cached weights'))
    await api.post('/api/v1/models', { name: 'cached' })
    await api.post('/api/v1/models/cached/versions', { files: [weights], description: 'first' })
    await api.post('/api/v1/models/cached/versions', { files: [weights], description: 'second' })
    await api.put('/api/v1/models/cached/aliases/champion', { version: 1 })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('is on for SQLite', () => {
    expect(server.store.reads.enabled).toBe(true)
  })

  it("sees this server's own writes at once", async () => {
    expect((await api.get('/api/v1/resolve?uri=models:/cached@champion')).body.version).toBe(1)
    expect((await api.get('/api/v1/models/cached/aliases/champion')).body.version).toBe(1)
    await api.put('/api/v1/models/cached/aliases/champion', { version: 2 })
    expect((await api.get('/api/v1/resolve?uri=models:/cached@champion')).body.version).toBe(2)
    expect((await api.get('/api/v1/models/cached/aliases/champion')).body.version).toBe(2)

    expect((await api.get('/api/v1/models/cached/versions/1')).body.description).toBe('first')
    await api.patch('/api/v1/models/cached/versions/1', { description: 'edited' })
    expect((await api.get('/api/v1/models/cached/versions/1')).body.description).toBe('edited')

    expect((await api.get('/api/v1/versions?model=cached&tag=team')).body.items).toEqual([])
    await api.put('/api/v1/models/cached/versions/1/tags/team', { value: 'risk' })
    expect((await api.get('/api/v1/versions?model=cached&tag=team')).body.items.map((v: { version: number }) => v.version)).toEqual([1])
  })

  it('sees a write another process made to the same database file', async () => {
    expect((await api.get('/api/v1/models/cached/versions/2')).body.description).toBe('second')
    expect((await api.get('/api/v1/models/cached/versions/2')).body.description).toBe('second')
    const other = new DatabaseSync(join(server.dataDir, 'canon.db'))
    try {
      other.exec('PRAGMA busy_timeout = 5000')
      other.prepare("update model_versions set description = 'changed elsewhere' where version = 2").run()
    } finally {
      other.close()
    }
    expect((await api.get('/api/v1/models/cached/versions/2')).body.description).toBe('changed elsewhere')
  })

  it('never gives one caller the answer cached for another', async () => {
    const secured = await startAuthServer('sqlite')
    try {
      const admin = bearer(secured, ADMIN_TOKEN)
      const weights = Buffer.from('secret weights')
      const digest = `sha256:${(await import('node:crypto')).createHash('sha256').update(weights).digest('hex')}`
      await admin.send('PUT', `/api/v1/blobs/${digest}`, { raw: weights, contentType: 'application/octet-stream' })
      for (const name of ['open', 'secret']) {
        await admin.ok('POST', '/api/v1/models', { name })
        await admin.ok('POST', `/api/v1/models/${name}/versions`, { files: [{ path: 'w.bin', size: weights.length, digest }] })
      }
      const viewer = bearer(secured, await userWithToken(admin, 'open-viewer', [{ role: 'viewer', scope: 'open' }]))
      const names = (reply: { body: { items: { model: string }[] } }) => reply.body.items.map((v) => v.model).sort()
      expect(names(await admin.send('GET', '/api/v1/versions'))).toEqual(['open', 'secret'])
      expect(names(await viewer.send('GET', '/api/v1/versions'))).toEqual(['open'])
      expect((await admin.send('GET', '/api/v1/models/secret/versions/1')).status).toBe(200)
      expect((await viewer.send('GET', '/api/v1/models/secret/versions/1')).status, 'a cached version is not a way around a grant').toBe(404)
    } finally {
      await secured.stop()
    }
  })

  it('can be turned off', async () => {
    const off = await startTestServer('sqlite', { CANON_READ_CACHE_MB: '0' })
    try {
      expect(off.store.reads.enabled).toBe(false)
    } finally {
      await off.stop()
    }
  })
})

// On PostgreSQL several instances share the database: each must see what another wrote, at once.
describe.runIf(backends.includes('postgres'))('read cache on postgres, two instances', () => {
  let first: TestServer
  let second: Awaited<ReturnType<typeof startServer>>

  beforeAll(async () => {
    first = await startTestServer('postgres')
    const config = loadConfig({ port: 0, dataDir: first.dataDir, databaseUrl: first.databaseUrl }, { CANON_LOG_FORMAT: 'json', CANON_ACTOR: 'tester' })
    second = await startServer(config, pino({ level: 'silent' }))
  })
  afterAll(async () => {
    await second?.close()
    await first?.stop()
  })

  it('serves from the cache, and never what another instance has since changed', async () => {
    expect(first.store.reads.enabled).toBe(true)
    const a = client(first.url)
    const b = client(second.url)
    const weights = await a.upload('model.bin', new TextEncoder().encode('shared weights'))
    await a.post('/api/v1/models', { name: 'shared' })
    await a.post('/api/v1/models/shared/versions', { files: [weights], description: 'one' })
    await a.post('/api/v1/models/shared/versions', { files: [weights], description: 'two' })
    await a.put('/api/v1/models/shared/aliases/champion', { version: 1 })
    for (let i = 0; i < 3; i++) expect((await a.get('/api/v1/resolve?uri=models:/shared@champion')).body.version).toBe(1)

    await b.put('/api/v1/models/shared/aliases/champion', { version: 2 })
    expect((await a.get('/api/v1/resolve?uri=models:/shared@champion')).body.version, 'a move made through the other instance').toBe(2)
    expect((await a.get('/api/2.0/mlflow/registered-models/alias?name=shared&alias=champion')).body.model_version.version).toBe('2')

    expect((await a.get('/api/v1/models/shared/versions/1')).body.description).toBe('one')
    await b.patch('/api/v1/models/shared/versions/1', { description: 'edited elsewhere' })
    expect((await a.get('/api/v1/models/shared/versions/1')).body.description).toBe('edited elsewhere')

    await b.post('/api/v1/models/shared/versions/2/stage', { stage: 'Production' })
    expect((await a.get('/api/v1/versions?model=shared&stage=Production')).body.items.map((v: { version: number }) => v.version)).toEqual([2])
  })
})
