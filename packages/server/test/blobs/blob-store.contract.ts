import { createHash, randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BlobStore } from '../../src/blobs/blob-store'
import { CanonError } from '../../src/domain/errors'

const digestOf = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of iterable) out.push(item)
  return out
}

/** One suite, every blob store: what "content-addressed, verified, never half-written" means. */
export function blobStoreContract(name: string, make: () => Promise<{ store: BlobStore; cleanup(): Promise<void> }>) {
  describe(`${name} blob store`, () => {
    let store: BlobStore
    let cleanup: () => Promise<void>
    beforeAll(async () => ({ store, cleanup } = await make()))
    afterAll(async () => cleanup?.())

    it('stores bytes under their digest and reads them back', async () => {
      const bytes = Buffer.from('weights v1')
      const digest = digestOf(bytes)
      expect(await store.put(digest, Readable.from([bytes]))).toEqual({ size: bytes.length, created: true })
      expect(await store.stat(digest)).toMatchObject({ digest, size: bytes.length })
      expect(await text(await store.read(digest))).toBe('weights v1')
    })

    it('ingests bytes of unknown digest under the digest it computes', async () => {
      const bytes = Buffer.from('uploaded without a digest')
      const result = await store.ingest(Readable.from([bytes]))
      expect(result).toEqual({ digest: digestOf(bytes), size: bytes.length, created: true })
      expect(await text(await store.read(result.digest))).toBe('uploaded without a digest')
      expect((await store.ingest(Readable.from([bytes]))).created).toBe(false)
    })

    it('stores identical content once', async () => {
      const bytes = Buffer.from('same bytes')
      const digest = digestOf(bytes)
      await store.put(digest, Readable.from([bytes]))
      expect(await store.put(digest, Readable.from([bytes]))).toEqual({ size: bytes.length, created: false })
      expect((await all(store.list())).filter((b) => b.digest === digest)).toHaveLength(1)
    })

    it('refuses bytes that do not match the digest and keeps nothing', async () => {
      const claimed = digestOf('what the client promised')
      const error = await store.put(claimed, Readable.from([Buffer.from('something else')])).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(CanonError)
      expect((error as CanonError).code).toBe('DIGEST_MISMATCH')
      expect(await store.stat(claimed)).toBeNull()
    })

    it('never exposes a partial upload when the stream breaks mid-way', async () => {
      const full = Buffer.alloc(256 * 1024, 7)
      const digest = digestOf(full)
      const broken = new Readable({
        read() {
          this.push(full.subarray(0, 64 * 1024))
          this.destroy(new Error('connection reset'))
        },
      })
      await expect(store.put(digest, broken)).rejects.toThrow()
      expect(await store.stat(digest)).toBeNull()
      expect((await all(store.list())).some((b) => b.digest === digest)).toBe(false)
    })

    it('stops an upload past the size limit and keeps nothing', async () => {
      const bytes = Buffer.alloc(4096, 1)
      const digest = digestOf(bytes)
      const error = await store.put(digest, Readable.from([bytes]), { maxBytes: 1000 }).catch((e: unknown) => e)
      expect((error as CanonError).code).toBe('PAYLOAD_TOO_LARGE')
      expect(await store.stat(digest)).toBeNull()
    })

    it('reads an inclusive byte range', async () => {
      const bytes = Buffer.from('0123456789')
      const digest = digestOf(bytes)
      await store.put(digest, Readable.from([bytes]))
      expect(await text(await store.read(digest, { start: 2, end: 5 }))).toBe('2345')
    })

    it('stores an empty blob', async () => {
      const digest = digestOf('')
      await store.put(digest, Readable.from([]))
      expect(await store.stat(digest)).toMatchObject({ size: 0 })
      expect(await text(await store.read(digest))).toBe('')
    })

    it('reports a missing blob as BLOB_NOT_FOUND and deletes idempotently', async () => {
      const digest = digestOf('never stored')
      expect(await store.stat(digest)).toBeNull()
      await expect(store.read(digest)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' })
      expect(await store.delete(digest)).toBe(false)
    })

    it('touch makes a blob young again', async () => {
      const bytes = Buffer.from('touch me')
      const digest = digestOf(bytes)
      await store.put(digest, Readable.from([bytes]))
      const before = (await store.stat(digest))!.modifiedAt
      await new Promise((r) => setTimeout(r, 20))
      await store.touch(digest)
      expect((await store.stat(digest))!.modifiedAt).toBeGreaterThan(before)
    })

    it('deletes a blob so it is gone from stat and list', async () => {
      const bytes = Buffer.from('delete me')
      const digest = digestOf(bytes)
      await store.put(digest, Readable.from([bytes]))
      expect(await store.delete(digest)).toBe(true)
      expect(await store.stat(digest)).toBeNull()
      expect((await all(store.list())).some((b) => b.digest === digest)).toBe(false)
    })

    it('keeps verified upload parts apart from blobs until they are removed', async () => {
      const upload = randomUUID()
      const parts = [Buffer.from('first part '), Buffer.from('second')]
      for (const [i, bytes] of parts.entries()) await store.writePart(upload, i + 1, Readable.from([bytes]), { digest: digestOf(bytes), size: bytes.length })
      expect(await text(await store.readPart(upload, 2))).toBe('second')
      expect((await all(store.list())).some((b) => b.digest === digestOf(parts[0]!))).toBe(false)
      await store.deleteParts(upload)
      await store.deleteParts(upload)
      await expect(store.readPart(upload, 1)).rejects.toMatchObject({ code: 'UPLOAD_INCOMPLETE' })
    })

    it('refuses a part that is not the promised length or digest', async () => {
      const upload = randomUUID()
      const bytes = Buffer.from('part bytes')
      await expect(store.writePart(upload, 1, Readable.from([bytes]), { digest: digestOf(bytes), size: 4 })).rejects.toMatchObject({ code: 'INVALID_PART' })
      await expect(store.writePart(upload, 1, Readable.from([bytes]), { digest: digestOf(bytes), size: 99 })).rejects.toMatchObject({ code: 'INVALID_PART' })
      await expect(store.writePart(upload, 1, Readable.from([bytes]), { digest: digestOf('other'), size: bytes.length })).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' })
      await expect(store.readPart(upload, 1)).rejects.toMatchObject({ code: 'UPLOAD_INCOMPLETE' })
    })

    it('rejects a malformed digest before touching storage', async () => {
      await expect(store.stat('sha256:xyz')).rejects.toMatchObject({ code: 'INVALID_DIGEST' })
      await expect(store.put('md5:abc', Readable.from([Buffer.from('x')]))).rejects.toMatchObject({ code: 'INVALID_DIGEST' })
    })
  })
}
