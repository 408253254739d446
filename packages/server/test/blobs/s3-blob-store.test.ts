import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { ListObjectsV2Command } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { S3BlobStore } from '../../src/blobs/s3-blob-store'
import { startS3, type TestS3 } from '../support/s3rver'
import { blobStoreContract } from './blob-store.contract'

const digestOf = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`
// Small parts and copy limit, so the contract's blobs take the multipart and the stream-into-place paths too.
const KiB = 1024
const makeStore = (s3: TestS3, prefix: string) =>
  new S3BlobStore({ bucket: s3.bucket, prefix, client: s3.client, partBytes: 64 * KiB, copyLimitBytes: 100 * KiB }).init()

blobStoreContract('S3 (s3rver)', async () => {
  const s3 = await startS3()
  return { store: await makeStore(s3, 'canon'), cleanup: s3.stop }
})

describe('S3 blob store', () => {
  let s3: TestS3
  beforeAll(async () => (s3 = await startS3()))
  afterAll(async () => s3?.stop())

  const keysUnder = async (prefix: string) =>
    ((await (await makeStore(s3, '')).client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key)

  it('keeps nothing under the final key when a multipart upload does not match its digest', async () => {
    const store = await makeStore(s3, 'mismatch')
    const bytes = Buffer.alloc(300 * KiB, 3)
    const claimed = digestOf('something else')
    await expect(store.put(claimed, Readable.from([bytes]))).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' })
    expect(await keysUnder('mismatch/')).toEqual([])
  })

  it('keeps nothing when the stream breaks after several parts went up', async () => {
    const store = await makeStore(s3, 'broken')
    const part = Buffer.alloc(64 * KiB, 1)
    async function* breaksLate() {
      for (let i = 0; i < 5; i++) yield part
      throw new Error('connection reset')
    }
    await expect(store.put(digestOf('whatever'), Readable.from(breaksLate()))).rejects.toThrow('connection reset')
    expect(await keysUnder('broken/')).toEqual([])
  })

  it('ingests a blob larger than one copy allows by streaming it into place, and removes the temporary object', async () => {
    const store = await makeStore(s3, 'big')
    const bytes = Buffer.alloc(333 * KiB, 9)
    const result = await store.ingest(Readable.from([bytes]))
    expect(result).toEqual({ digest: digestOf(bytes), size: bytes.length, created: true })
    expect((await text(await store.read(result.digest))).length).toBe(bytes.length)
    expect(await keysUnder('big/tmp/')).toEqual([])
  })

  it('sweeps stale temporary objects', async () => {
    const store = await makeStore(s3, 'sweep')
    const { PutObjectCommand } = await import('@aws-sdk/client-s3')
    await store.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'sweep/tmp/left-over', Body: 'x' }))
    expect(await store.sweepTemporary(60_000)).toBe(0)
    expect(await store.sweepTemporary(-5_000)).toBe(1)
    expect(await keysUnder('sweep/tmp/')).toEqual([])
  })

  it('lists a touched blob with the touch time', async () => {
    const store = await makeStore(s3, 'touch')
    const bytes = Buffer.from('listed')
    const digest = digestOf(bytes)
    await store.put(digest, Readable.from([bytes]))
    await new Promise((r) => setTimeout(r, 1100))
    const before = Date.now()
    await store.touch(digest)
    const listed = []
    for await (const blob of store.list()) listed.push(blob)
    expect(listed).toHaveLength(1)
    expect(listed[0]!.modifiedAt).toBeGreaterThanOrEqual(before - 1000)
  })

  it('signs a download URL that serves the bytes', async () => {
    const store = await new S3BlobStore({ bucket: s3.bucket, prefix: 'signed', client: s3.client, presignTtlSeconds: 60 }).init()
    const bytes = Buffer.from('presigned bytes')
    const digest = digestOf(bytes)
    await store.put(digest, Readable.from([bytes]))
    const url = await store.downloadUrl(digest, { filename: 'model.bin' })
    const response = await fetch(url!)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('presigned bytes')
    expect(await (await makeStore(s3, 'signed')).downloadUrl(digest, {})).toBeNull()
  })

  it('refuses a bucket that does not exist with a message naming it', async () => {
    await expect(new S3BlobStore({ bucket: 'no-such-bucket', prefix: '', client: s3.client }).init()).rejects.toThrow(/no-such-bucket/)
  })
})
