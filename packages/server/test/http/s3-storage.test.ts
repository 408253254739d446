import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client } from '../support/http'
import { startS3, type TestS3 } from '../support/s3rver'

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`
const KiB = 1024

// One backend is enough to show the blob store is S3; the metadata backends are covered by every other test.
describe.each(backends.slice(0, 1))('canon serve with blobs in S3 (%s)', (backend) => {
  let s3: TestS3
  let server: TestServer
  let api: ReturnType<typeof client>
  const keys = async (prefix: string) =>
    ((await new S3Client(s3.client).send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!)

  beforeAll(async () => {
    s3 = await startS3()
    server = await startTestServer(backend, { ...s3.env, CANON_ARTIFACTS_URL: `s3://${s3.bucket}/registry` })
    api = client(server.url)
  })
  afterAll(async () => {
    await server?.stop()
    await s3?.stop()
  })

  it('stores pushed files in the bucket and streams them back, Range included', async () => {
    const weights = Buffer.alloc(300 * KiB, 5)
    const file = await api.upload('model.bin', weights)
    expect((await api.post('/api/v1/models', { name: 'on-s3' })).status).toBe(201)
    expect((await api.post('/api/v1/models/on-s3/versions', { files: [file] })).status).toBe(201)
    expect(await keys('registry/blobs/')).toEqual([`registry/blobs/sha256/${file.digest.slice(7)}`])
    expect(existsSync(join(server.dataDir, 'blobs')), 'nothing on the local disk').toBe(false)

    const download = await fetch(`${server.url}/api/v1/models/on-s3/versions/1/files/model.bin`)
    expect(download.status).toBe(200)
    expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(file.digest)
    const range = await fetch(`${server.url}/api/v1/models/on-s3/versions/1/files/model.bin`, { headers: { range: 'bytes=10-19' } })
    expect(range.status).toBe(206)
    expect((await range.arrayBuffer()).byteLength).toBe(10)
  })

  it('takes a resumable upload into the bucket', async () => {
    const bytes = Buffer.alloc(150 * KiB, 9)
    const session = (await api.post('/api/v1/uploads', { digest: sha256(bytes), size: bytes.length, partSize: 64 * KiB })).body as { id: string; partCount: number }
    for (let n = 1; n <= session.partCount; n++) {
      const part = bytes.subarray((n - 1) * 64 * KiB, n * 64 * KiB)
      const sent = await fetch(`${server.url}/api/v1/uploads/${session.id}/parts/${n}`, { method: 'PUT', body: part, headers: { 'content-type': 'application/octet-stream', 'x-canon-part-digest': sha256(part) } })
      expect(sent.status).toBe(200)
    }
    expect((await keys(`registry/uploads/${session.id}/`)).length).toBe(session.partCount)
    expect((await api.post(`/api/v1/uploads/${session.id}/complete`)).body).toMatchObject({ digest: sha256(bytes), created: true })
    expect(await keys(`registry/uploads/${session.id}/`)).toEqual([])
    expect(await keys(`registry/blobs/sha256/${sha256(bytes).slice(7)}`)).toHaveLength(1)
  })

  it('collects the blob of a deleted version from the bucket', async () => {
    const bytes = Buffer.from('short-lived weights')
    const file = await api.upload('tmp.bin', bytes)
    await api.post('/api/v1/models', { name: 'short-lived' })
    await api.post('/api/v1/models/short-lived/versions', { files: [file] })
    expect((await api.delete('/api/v1/models/short-lived/versions/1')).status).toBe(204)
    // S3 listings date objects to the second, rounded up, so a blob written this second is still too young
    await new Promise((r) => setTimeout(r, 1100))
    const report = await api.post('/api/v1/admin/gc', { apply: true, graceSeconds: 0 })
    expect(report.body.collected).toContainEqual({ digest: file.digest, size: bytes.length })
    expect(await keys(`registry/blobs/sha256/${file.digest.slice(7)}`)).toEqual([])
    expect((await fetch(`${server.url}/api/v1/blobs/${file.digest}`)).status).toBe(404)
    // the other version's blob is still there
    expect((await fetch(`${server.url}/api/v1/models/on-s3/versions/1/files/model.bin`)).status).toBe(200)
  })
})

describe('canon serve with pre-signed S3 downloads', () => {
  let s3: TestS3
  let server: TestServer
  beforeAll(async () => {
    s3 = await startS3()
    server = await startTestServer(backends[0]!, { ...s3.env, CANON_ARTIFACTS_URL: `s3://${s3.bucket}`, CANON_S3_PRESIGN: '1', CANON_S3_PRESIGN_TTL: '120' })
  })
  afterAll(async () => {
    await server?.stop()
    await s3?.stop()
  })

  it('redirects a download to a pre-signed URL that serves the bytes', async () => {
    const api = client(server.url)
    const bytes = Buffer.from('weights served by the bucket itself')
    const file = await api.upload('model.bin', bytes)
    await api.post('/api/v1/models', { name: 'presigned' })
    await api.post('/api/v1/models/presigned/versions', { files: [file] })

    const redirect = await fetch(`${server.url}/api/v1/models/presigned/versions/1/files/model.bin`, { redirect: 'manual' })
    expect(redirect.status).toBe(307)
    const location = redirect.headers.get('location')!
    expect(location.startsWith(s3.endpoint)).toBe(true)
    expect(new URL(location).searchParams.get('X-Amz-Expires')).toBe('120')
    const direct = await fetch(location)
    expect(direct.status).toBe(200)
    expect(Buffer.from(await direct.arrayBuffer())).toEqual(bytes)

    // a client that follows redirects gets the bytes in one call; HEAD still answers from Canon
    expect(Buffer.from(await (await fetch(`${server.url}/api/v1/blobs/${file.digest}`)).arrayBuffer())).toEqual(bytes)
    const head = await fetch(`${server.url}/api/v1/blobs/${file.digest}`, { method: 'HEAD' })
    expect(head.headers.get('x-canon-digest')).toBe(file.digest)
  })
})
