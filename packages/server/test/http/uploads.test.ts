import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsBlobStore } from '../../src/blobs/fs-blob-store'
import { collectGarbage } from '../../src/services/gc.service'
import { createUpload, uploadPart } from '../../src/services/uploads.service'
import { backends, openTestStore, startTestServer, tempDir, type TestServer } from '../support/backends'
import { client } from '../support/http'
import { startTcpProxy } from '../support/tcp-proxy'
import pino from 'pino'

const KiB = 1024
const PART = 64 * KiB
const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`
/** 3 full parts and a short last one, every byte position distinct enough that a swapped part changes the digest */
const BLOB = Buffer.from(Array.from({ length: 3 * PART + 10 * KiB }, (_, i) => (i * 7 + (i >> 16)) & 0xff))
const partOf = (n: number, bytes = BLOB) => bytes.subarray((n - 1) * PART, n * PART)

async function putPart(base: string, id: string, n: number, bytes: Uint8Array, digest = sha256(bytes), headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/api/v1/uploads/${id}/parts/${n}`, {
    method: 'PUT',
    body: bytes,
    headers: { 'content-type': 'application/octet-stream', 'x-canon-part-digest': digest, ...headers },
  })
  return { status: response.status, body: (await response.json()) as any }
}

describe.each(backends)('resumable uploads on %s', (backend) => {
  let server: TestServer
  let api: ReturnType<typeof client>
  beforeAll(async () => {
    server = await startTestServer(backend)
    api = client(server.url)
  })
  afterAll(async () => server?.stop())

  const open = async (bytes = BLOB, digest = sha256(bytes)) => {
    const created = await api.post('/api/v1/uploads', { digest, size: bytes.length, partSize: PART })
    expect(created.status).toBe(201)
    return created.body as { id: string; partCount: number }
  }

  it('takes a blob in parts, in any order, and makes it visible only on complete', async () => {
    const session = await open()
    expect(session).toMatchObject({ partCount: 4, parts: [], bytesReceived: 0 })
    for (const n of [3, 1, 4, 2]) expect((await putPart(server.url, session.id, n, partOf(n))).status).toBe(200)
    expect((await api.call('HEAD', `/api/v1/blobs/${sha256(BLOB)}`)).status).toBe(404)
    const listed = await api.get(`/api/v1/uploads/${session.id}`)
    expect(listed.body.parts.map((p: { number: number }) => p.number)).toEqual([1, 2, 3, 4])
    expect(listed.body.bytesReceived).toBe(BLOB.length)

    const completed = await api.post(`/api/v1/uploads/${session.id}/complete`)
    expect(completed).toMatchObject({ status: 201, body: { digest: sha256(BLOB), size: BLOB.length, created: true } })
    const download = await fetch(`${server.url}/api/v1/blobs/${sha256(BLOB)}`)
    expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(BLOB))
    expect((await api.get(`/api/v1/uploads/${session.id}`)).body.error.code).toBe('UPLOAD_NOT_FOUND')
    expect(existsSync(join(server.dataDir, 'blobs', 'uploads', session.id))).toBe(false)
  })

  it('resumes after a connection dropped mid-part: the finished parts stay, the cut one is not counted', async () => {
    const bytes = Buffer.from(BLOB).reverse()
    const session = await open(bytes)
    const proxy = await startTcpProxy(server.url)
    try {
      for (const n of [1, 2]) expect((await putPart(proxy.url, session.id, n, partOf(n, bytes))).status).toBe(200)
      proxy.dropAt(proxy.bytesUp + PART / 2)
      await expect(putPart(proxy.url, session.id, 3, partOf(3, bytes))).rejects.toThrow()
      await proxy.dropped()
      // the server finishes with the cut request on its own time: wait until it has dropped its temporary file
      for (let i = 0; i < 100 && (await readdir(join(server.dataDir, 'blobs', 'tmp'))).length > 0; i++) await new Promise((r) => setTimeout(r, 50))

      const resumed = await api.get(`/api/v1/uploads/${session.id}`)
      expect(resumed.body.parts.map((p: { number: number }) => p.number)).toEqual([1, 2])
      const before = proxy.bytesUp
      for (const n of [3, 4]) expect((await putPart(proxy.url, session.id, n, partOf(n, bytes))).status).toBe(200)
      const sentForTheRest = proxy.bytesUp - before
      expect(sentForTheRest).toBeGreaterThanOrEqual(bytes.length - 2 * PART)
      expect(sentForTheRest).toBeLessThan(bytes.length - 2 * PART + 2 * KiB)
      expect((await api.post(`/api/v1/uploads/${session.id}/complete`)).body).toMatchObject({ digest: sha256(bytes), created: true })
    } finally {
      await proxy.close()
    }
  })

  it('hands back the open session to a client that asks again for the same blob', async () => {
    const bytes = Buffer.alloc(PART + 1, 5)
    const first = await open(bytes)
    await putPart(server.url, first.id, 1, partOf(1, bytes))
    const again = await api.post('/api/v1/uploads', { digest: sha256(bytes), size: bytes.length })
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ id: first.id, partSize: PART, parts: [{ number: 1, size: PART }] })
    expect((await api.delete(`/api/v1/uploads/${first.id}`)).status).toBe(204)
    expect((await api.get(`/api/v1/uploads/${first.id}`)).status).toBe(404)
    expect(existsSync(join(server.dataDir, 'blobs', 'uploads', first.id))).toBe(false)
  })

  it('refuses parts that are not what the session expects, and keeps none of them', async () => {
    const bytes = Buffer.alloc(2 * PART + 100, 8)
    const session = await open(bytes)
    const refused = async (n: number, body: Uint8Array, digest: string | undefined, headers: Record<string, string> = {}) => {
      const h: Record<string, string> = { 'content-type': 'application/octet-stream', ...headers }
      if (digest) h['x-canon-part-digest'] = digest
      const response = await fetch(`${server.url}/api/v1/uploads/${session.id}/parts/${n}`, { method: 'PUT', body, headers: h })
      return { status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code }
    }
    expect(await refused(1, partOf(1, bytes), sha256(Buffer.from('other')))).toEqual({ status: 400, code: 'DIGEST_MISMATCH' })
    expect(await refused(1, partOf(1, bytes).subarray(1), sha256(partOf(1, bytes).subarray(1)))).toEqual({ status: 400, code: 'INVALID_PART' })
    expect(await refused(3, bytes.subarray(2 * PART, 2 * PART + 99), sha256(bytes.subarray(2 * PART, 2 * PART + 99)))).toEqual({ status: 400, code: 'INVALID_PART' })
    expect(await refused(4, partOf(1, bytes), sha256(partOf(1, bytes)))).toEqual({ status: 400, code: 'INVALID_PART' })
    expect(await refused(1, partOf(1, bytes), undefined)).toEqual({ status: 400, code: 'INVALID_DIGEST' })
    expect(await refused(1, partOf(1, bytes), 'sha256:nope')).toEqual({ status: 400, code: 'INVALID_DIGEST' })
    // a streamed body (no Content-Length) that ends short is caught by counting
    const short = Readable.toWeb(Readable.from([partOf(1, bytes).subarray(0, 1000)])) as ReadableStream
    const streamed = await fetch(`${server.url}/api/v1/uploads/${session.id}/parts/1`, {
      method: 'PUT',
      body: short,
      duplex: 'half',
      headers: { 'content-type': 'application/octet-stream', 'x-canon-part-digest': sha256(partOf(1, bytes)) },
    } as RequestInit)
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe('INVALID_PART')
    expect((await api.get(`/api/v1/uploads/${session.id}`)).body.parts).toEqual([])

    await putPart(server.url, session.id, 1, partOf(1, bytes))
    const early = await api.post(`/api/v1/uploads/${session.id}/complete`)
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'UPLOAD_INCOMPLETE', details: { missing: [2, 3] } } } })
  })

  it('refuses to complete when the parts together do not hash to the promised digest', async () => {
    const bytes = Buffer.alloc(PART + 7, 1)
    const claimed = sha256(Buffer.from('what the client promised'))
    const session = await open(bytes, claimed)
    for (const n of [1, 2]) await putPart(server.url, session.id, n, partOf(n, bytes))
    const completed = await api.post(`/api/v1/uploads/${session.id}/complete`)
    expect(completed).toMatchObject({ status: 400, body: { error: { code: 'DIGEST_MISMATCH' } } })
    expect((await api.call('HEAD', `/api/v1/blobs/${claimed}`)).status).toBe(404)
    expect((await api.call('HEAD', `/api/v1/blobs/${sha256(bytes)}`)).status).toBe(404)
  })

  it("treats another caller's upload as one that does not exist", async () => {
    const { store, cleanup } = await openTestStore(backend)
    const dir = await tempDir()
    try {
      const deps = { store, blobs: await new FsBlobStore(dir.path).init(), clock: Date.now, log: pino({ level: 'silent' }), maxBlobBytes: 1024 ** 3 }
      const bytes = Buffer.alloc(PART, 4)
      const mine = await createUpload(deps, { name: 'owner' }, { digest: sha256(bytes), size: PART })
      await expect(uploadPart(deps, { name: 'intruder' }, mine.session.id, 1, Readable.from([bytes]), { partDigest: sha256(bytes) })).rejects.toMatchObject({ code: 'UPLOAD_NOT_FOUND' })
      // and the intruder asking for the same blob gets a session of its own
      expect((await createUpload(deps, { name: 'intruder' }, { digest: sha256(bytes), size: PART })).session.id).not.toBe(mine.session.id)
    } finally {
      await cleanup()
      await dir.remove()
    }
  })
})

describe.each(backends)('abandoned uploads on %s', (backend) => {
  it('expire after CANON_UPLOAD_TTL and are swept with their parts', async () => {
    const server = await startTestServer(backend, { CANON_UPLOAD_TTL: '1s' })
    try {
      const api = client(server.url)
      const bytes = Buffer.alloc(PART * 2, 6)
      const session = (await api.post('/api/v1/uploads', { digest: sha256(bytes), size: bytes.length, partSize: PART })).body as { id: string }
      expect((await putPart(server.url, session.id, 1, partOf(1, bytes))).status).toBe(200)
      const parts = join(server.dataDir, 'blobs', 'uploads', session.id)
      expect(existsSync(parts)).toBe(true)
      for (let i = 0; i < 200 && (existsSync(parts) || (await server.store.uploads.find(session.id))); i++) await new Promise((r) => setTimeout(r, 100))
      expect(existsSync(parts)).toBe(false)
      expect(await server.store.uploads.find(session.id)).toBeUndefined()
      expect((await api.get(`/api/v1/uploads/${session.id}`)).body.error.code).toBe('UPLOAD_NOT_FOUND')
    } finally {
      await server.stop()
    }
  }, 30_000)

  it('are removed by an applied garbage collection', async () => {
    const { store, cleanup } = await openTestStore(backend)
    const dir = await tempDir()
    try {
      let now = Date.now()
      const blobs = await new FsBlobStore(dir.path).init()
      const deps = { store, blobs, clock: () => now, log: pino({ level: 'silent' }), maxBlobBytes: 1024 ** 3, uploadTtlMs: 3600_000 }
      const bytes = Buffer.alloc(PART, 2)
      const { session } = await createUpload(deps, { name: 'someone' }, { digest: sha256(bytes), size: bytes.length })
      await uploadPart(deps, { name: 'someone' }, session.id, 1, Readable.from([bytes]), { partDigest: sha256(bytes) })
      expect((await collectGarbage(deps, { name: 'admin' }, { apply: true, graceSeconds: 0 })).expiredUploads).toBe(0)
      now += 2 * 3600_000
      expect((await collectGarbage(deps, { name: 'admin' }, { apply: true, graceSeconds: 0 })).expiredUploads).toBe(1)
      expect(await store.uploads.find(session.id)).toBeUndefined()
      expect(existsSync(join(dir.path, 'uploads', session.id))).toBe(false)
    } finally {
      await cleanup()
      await dir.remove()
    }
  })
})
