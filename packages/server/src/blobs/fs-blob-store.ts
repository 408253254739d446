import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, open, opendir, readdir, rename, rm, stat, unlink, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CanonError } from '../domain/errors'
import { checkDigest } from '../domain/validation'
import { UPLOAD_ID, type BlobInfo, type BlobStore, type PutOptions } from './blob-store'
import { hashingCounter } from './hashing-counter'
import { partCheck } from './part-check'

/**
 * Blobs as files under `<root>/sha256/<2 hex>/<64 hex>`; uploads land in `<root>/tmp` and are renamed into place.
 * Parts of resumable uploads live in `<root>/uploads/<upload id>/<part>` until the upload completes.
 */
export class FsBlobStore implements BlobStore {
  private readonly objects: string
  private readonly tmp: string
  private readonly uploads: string
  /** temporary files this process is writing right now: a sweep, even with no grace period, leaves them alone */
  private readonly writing = new Set<string>()

  constructor(root: string) {
    this.objects = join(root, 'sha256')
    this.tmp = join(root, 'tmp')
    this.uploads = join(root, 'uploads')
  }

  async init(): Promise<this> {
    await mkdir(this.objects, { recursive: true })
    await mkdir(this.tmp, { recursive: true })
    await mkdir(this.uploads, { recursive: true })
    return this
  }

  private pathOf(digest: string): string {
    const hex = checkDigest(digest).slice('sha256:'.length)
    return join(this.objects, hex.slice(0, 2), hex)
  }

  async stat(digest: string): Promise<BlobInfo | null> {
    try {
      const s = await stat(this.pathOf(digest))
      return { digest, size: s.size, modifiedAt: s.mtimeMs }
    } catch (error) {
      if (isMissing(error)) return null
      throw translate(error)
    }
  }

  async put(digest: string, body: Readable, options: PutOptions = {}): Promise<{ size: number; created: boolean }> {
    checkDigest(digest)
    const { size, created } = await this.write(body, options, (actual, bytes) => {
      if (actual !== digest) {
        throw new CanonError('DIGEST_MISMATCH', `The uploaded bytes hash to ${actual}, not ${digest}; nothing was stored.`, { expected: digest, actual, size: bytes })
      }
    })
    return { size, created }
  }

  async ingest(body: Readable, options: PutOptions = {}): Promise<{ digest: string; size: number; created: boolean }> {
    return this.write(body, options, () => {})
  }

  /** Streams to a temporary file while hashing, lets `accept` veto the digest, then renames into place. */
  private async write(body: Readable, options: PutOptions, accept: (digest: string, size: number) => void) {
    const temporary = join(this.tmp, `${randomUUID()}.part`)
    const counter = hashingCounter(createHash('sha256'), options.maxBytes)
    this.writing.add(temporary)
    try {
      // flush: fsync before close, so a crash after the rename never exposes unwritten bytes
      await pipeline(body, counter.transform, createWriteStream(temporary, { flush: true }))
      const digest = `sha256:${counter.digestHex()}`
      accept(digest, counter.size)
      if (await this.stat(digest)) {
        await this.touch(digest)
        return { digest, size: counter.size, created: false }
      }
      const target = this.pathOf(digest)
      await mkdir(join(target, '..'), { recursive: true })
      await rename(temporary, target)
      await fsyncDirectory(join(target, '..'))
      return { digest, size: counter.size, created: true }
    } catch (error) {
      throw translate(error)
    } finally {
      this.writing.delete(temporary)
      await rm(temporary, { force: true })
    }
  }

  async read(digest: string, range?: { start: number; end: number }): Promise<Readable> {
    const path = this.pathOf(digest)
    const handle = await open(path, 'r').catch((error: unknown) => {
      if (isMissing(error)) throw new CanonError('BLOB_NOT_FOUND', `Blob ${digest} does not exist.`, { digest })
      throw translate(error)
    })
    return createReadStream('', { fd: handle, ...(range && { start: range.start, end: range.end }) })
  }

  async touch(digest: string): Promise<void> {
    const now = new Date()
    await utimes(this.pathOf(digest), now, now).catch((error: unknown) => {
      if (isMissing(error)) throw new CanonError('BLOB_NOT_FOUND', `Blob ${digest} does not exist.`, { digest })
      throw translate(error)
    })
  }

  async delete(digest: string): Promise<boolean> {
    try {
      await unlink(this.pathOf(digest))
      return true
    } catch (error) {
      if (isMissing(error)) return false
      throw translate(error)
    }
  }

  async *list(): AsyncIterable<BlobInfo> {
    for (const shard of await readdir(this.objects)) {
      const dir = await opendir(join(this.objects, shard)).catch(() => null)
      if (!dir) continue
      for await (const entry of dir) {
        if (!entry.isFile() || !/^[0-9a-f]{64}$/.test(entry.name)) continue
        const s = await stat(join(this.objects, shard, entry.name)).catch(() => null)
        if (s) yield { digest: `sha256:${entry.name}`, size: s.size, modifiedAt: s.mtimeMs }
      }
    }
  }

  async sweepTemporary(olderThanMs: number): Promise<number> {
    let removed = 0
    const cutoff = Date.now() - olderThanMs
    for (const name of await readdir(this.tmp)) {
      const path = join(this.tmp, name)
      if (this.writing.has(path)) continue
      const s = await stat(path).catch(() => null)
      if (s && s.mtimeMs < cutoff) {
        await rm(path, { force: true })
        removed++
      }
    }
    return removed
  }

  async writePart(uploadId: string, part: number, body: Readable, expect: { digest: string; size: number }): Promise<void> {
    const dir = this.partsDir(uploadId)
    const temporary = join(this.tmp, `${randomUUID()}.part`)
    const check = partCheck(part, expect)
    try {
      await pipeline(body, check.transform, createWriteStream(temporary, { flush: true }))
      check.verify()
      await mkdir(dir, { recursive: true })
      await rename(temporary, join(dir, String(part)))
    } catch (error) {
      throw translate(error)
    } finally {
      await rm(temporary, { force: true })
    }
  }

  async readPart(uploadId: string, part: number): Promise<Readable> {
    const handle = await open(join(this.partsDir(uploadId), String(part)), 'r').catch((error: unknown) => {
      if (isMissing(error)) throw new CanonError('UPLOAD_INCOMPLETE', `Part ${part} of upload ${uploadId} is not stored; send it again.`, { part })
      throw translate(error)
    })
    return createReadStream('', { fd: handle })
  }

  async deleteParts(uploadId: string): Promise<void> {
    await rm(this.partsDir(uploadId), { recursive: true, force: true })
  }

  private partsDir(uploadId: string): string {
    if (!UPLOAD_ID.test(uploadId)) throw new CanonError('UPLOAD_NOT_FOUND', `'${uploadId.slice(0, 80)}' is not an upload id.`)
    return join(this.uploads, uploadId)
  }
}

async function fsyncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

function isMissing(error: unknown): boolean {
  return (error as { code?: string })?.code === 'ENOENT'
}

function translate(error: unknown): unknown {
  const code = (error as { code?: string })?.code
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new CanonError('INSUFFICIENT_STORAGE', 'The blob store is out of space; nothing was stored. Free space or grow the volume, then retry.')
  }
  return error
}
