import { createHash, randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type S3ClientConfig,
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { ConfigError } from '../config-error'
import { CanonError } from '../domain/errors'
import { checkDigest } from '../domain/validation'
import { UPLOAD_ID, type BlobInfo, type BlobStore, type PutOptions } from './blob-store'
import { hashingCounter } from './hashing-counter'
import { partCheck } from './part-check'
import { rechunk } from './rechunk'

export interface S3BlobStoreOptions {
  bucket: string
  /** key prefix without leading or trailing slash; '' for the bucket root */
  prefix: string
  client: S3ClientConfig
  /** multipart part size (S3's minimum is 5 MiB) */
  partBytes?: number
  /** largest object one CopyObject may copy (S3: 5 GiB); a bigger ingested blob is streamed into place instead */
  copyLimitBytes?: number
  /** answer downloads with a pre-signed URL valid this long, instead of streaming through Canon */
  presignTtlSeconds?: number
}

const MiB = 1024 * 1024
const PART_CONCURRENCY = 4
/** epoch ms of the last write or touch, kept as object metadata because S3's Last-Modified has whole seconds only */
const WRITTEN_AT = 'canon-written-at'

/**
 * Blobs as objects under `<prefix>/blobs/sha256/<hex>`. A blob of known digest goes straight to its final key as a
 * multipart upload that is completed only once the bytes hashed right (an incomplete multipart upload is no object),
 * or, when small, as one PutObject sent after hashing. Bytes of unknown digest stream to `<prefix>/tmp/<uuid>` and
 * are copied into place once hashed. `touch` writes a marker `<prefix>/touched/sha256/<hex>`: S3 cannot change an
 * object's date without rewriting it.
 */
export class S3BlobStore implements BlobStore {
  readonly client: S3Client
  private readonly bucket: string
  private readonly root: string
  private readonly partBytes: number
  private readonly copyLimitBytes: number
  private readonly presignTtlSeconds?: number

  constructor(options: S3BlobStoreOptions) {
    this.client = new S3Client(options.client)
    this.bucket = options.bucket
    this.root = options.prefix ? `${options.prefix}/` : ''
    this.partBytes = options.partBytes ?? 8 * MiB
    this.copyLimitBytes = options.copyLimitBytes ?? 5 * 1024 * MiB
    this.presignTtlSeconds = options.presignTtlSeconds
  }

  /** Fails fast, with a message naming the bucket, when it cannot be reached. */
  async init(): Promise<this> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }))
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
      const why = status === 404 ? 'it does not exist' : status === 403 ? 'access is denied (check the AWS credentials)' : String((error as Error).message ?? error)
      throw new ConfigError(`Cannot use S3 bucket '${this.bucket}': ${why}.`)
    }
    return this
  }

  private blobKey(digest: string): string {
    return `${this.root}blobs/sha256/${checkDigest(digest).slice('sha256:'.length)}`
  }

  private touchKey(digest: string): string {
    return `${this.root}touched/sha256/${digest.slice('sha256:'.length)}`
  }

  private partKey(uploadId: string, part: number): string {
    if (!UPLOAD_ID.test(uploadId)) throw new CanonError('UPLOAD_NOT_FOUND', `'${uploadId.slice(0, 80)}' is not an upload id.`)
    return `${this.root}uploads/${uploadId}/${String(part).padStart(5, '0')}`
  }

  async stat(digest: string): Promise<BlobInfo | null> {
    const key = this.blobKey(digest)
    const [blob, marker] = await Promise.all([this.head(key), this.head(this.touchKey(digest))])
    if (!blob) return null
    return { digest, size: blob.size, modifiedAt: Math.max(blob.writtenAt, marker?.writtenAt ?? 0) }
  }

  private async head(key: string): Promise<{ size: number; writtenAt: number } | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }))
      const written = Number(out.Metadata?.[WRITTEN_AT])
      return { size: out.ContentLength ?? 0, writtenAt: Number.isFinite(written) && written > 0 ? written : (out.LastModified?.getTime() ?? 0) }
    } catch (error) {
      if (isNotFound(error)) return null
      throw translate(error)
    }
  }

  async put(digest: string, body: Readable, options: PutOptions = {}): Promise<{ size: number; created: boolean }> {
    const key = this.blobKey(digest)
    const counter = hashingCounter(createHash('sha256'), options.maxBytes)
    const verify = () => {
      const actual = `sha256:${counter.digestHex()}`
      if (actual !== digest) {
        throw new CanonError('DIGEST_MISMATCH', `The uploaded bytes hash to ${actual}, not ${digest}; nothing was stored.`, { expected: digest, actual, size: counter.size })
      }
    }
    const parts = rechunk(counter.transform(body), this.partBytes)[Symbol.asyncIterator]()
    try {
      const first = await parts.next()
      const second = first.done ? first : await parts.next()
      if (second.done) {
        // Small enough for one request: hashed in memory, sent only if it matched.
        verify()
        if (await this.stat(digest)) return (await this.touch(digest), { size: counter.size, created: false })
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: first.done ? Buffer.alloc(0) : first.value, Metadata: this.stamp() })).catch(fail)
        return { size: counter.size, created: true }
      }
      return await this.putMultipart(key, digest, [first.value, second.value], parts, () => (verify(), counter.size))
    } catch (error) {
      await parts.return?.(undefined).catch(() => {})
      throw translate(error)
    }
  }

  /** Parts go to the final key; CompleteMultipartUpload, which makes the object appear, runs only after `verify`. */
  private async putMultipart(key: string, digest: string, head: Buffer[], rest: AsyncIterator<Buffer>, verify: () => number) {
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, Metadata: this.stamp() })).catch(fail)
    const inFlight = new Set<Promise<void>>()
    try {
      const etags: string[] = []
      let number = 0
      const sendPart = (bytes: Buffer) => {
        const partNumber = ++number
        const sent: Promise<void> = this.client.send(new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId, PartNumber: partNumber, Body: bytes })).then((out) => {
          etags[partNumber - 1] = out.ETag ?? ''
          inFlight.delete(sent)
        })
        inFlight.add(sent)
        // a failure is seen through Promise.race/all below; this keeps a late one from going unhandled
        sent.catch(() => {})
      }
      for (const bytes of head) sendPart(bytes)
      for (let next = await rest.next(); !next.done; next = await rest.next()) {
        if (inFlight.size >= PART_CONCURRENCY) await Promise.race(inFlight)
        sendPart(next.value)
      }
      await Promise.all(inFlight)
      const size = verify()
      if (await this.stat(digest)) {
        await this.abortQuietly(key, UploadId)
        await this.touch(digest)
        return { size, created: false }
      }
      const Parts = etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 }))
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId, MultipartUpload: { Parts } })).catch(fail)
      return { size, created: true }
    } catch (error) {
      // parts still in flight could land after an abort and be kept (and billed): let them settle first
      await Promise.allSettled(inFlight)
      await this.abortQuietly(key, UploadId)
      throw error
    }
  }

  private async abortQuietly(key: string, uploadId: string | undefined): Promise<void> {
    await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId })).catch(() => {})
  }

  async ingest(body: Readable, options: PutOptions = {}): Promise<{ digest: string; size: number; created: boolean }> {
    const temporary = `${this.root}tmp/${randomUUID()}`
    const counter = hashingCounter(createHash('sha256'), options.maxBytes)
    try {
      await new Upload({ client: this.client, params: { Bucket: this.bucket, Key: temporary, Body: Readable.from(counter.transform(body)) }, partSize: Math.max(this.partBytes, 5 * MiB) }).done()
      const digest = `sha256:${counter.digestHex()}`
      const size = counter.size
      if (await this.stat(digest)) return (await this.touch(digest), { digest, size, created: false })
      if (size <= this.copyLimitBytes) {
        await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: this.blobKey(digest), CopySource: encodeCopySource(this.bucket, temporary), MetadataDirective: 'REPLACE', Metadata: this.stamp() })).catch(fail)
      } else {
        // CopyObject stops at 5 GiB: stream it into place again, which hashes it a second time on the way.
        const stored = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: temporary })).catch(fail)
        await this.put(digest, stored.Body as Readable, options)
      }
      return { digest, size, created: true }
    } catch (error) {
      throw translate(error)
    } finally {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: temporary })).catch(() => {})
    }
  }

  async read(digest: string, range?: { start: number; end: number }): Promise<Readable> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.blobKey(digest), ...(range && { Range: `bytes=${range.start}-${range.end}` }) }))
      return (out.Body as Readable | undefined) ?? Readable.from([])
    } catch (error) {
      if (isNotFound(error)) throw new CanonError('BLOB_NOT_FOUND', `Blob ${digest} does not exist.`, { digest })
      throw translate(error)
    }
  }

  async touch(digest: string): Promise<void> {
    if (!(await this.head(this.blobKey(digest)))) throw new CanonError('BLOB_NOT_FOUND', `Blob ${digest} does not exist.`, { digest })
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.touchKey(digest), Body: Buffer.alloc(0), Metadata: this.stamp() })).catch(fail)
  }

  async delete(digest: string): Promise<boolean> {
    const key = this.blobKey(digest)
    if (!(await this.head(key))) return false
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })).catch(fail)
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.touchKey(digest) })).catch(fail)
    return true
  }

  /** Walks blobs and touch markers side by side (both listings are sorted by hex) to report each blob's latest date. */
  async *list(): AsyncIterable<BlobInfo> {
    const markers = this.listKeys(`${this.root}touched/sha256/`)[Symbol.asyncIterator]()
    let marker = await markers.next()
    for await (const blob of this.listKeys(`${this.root}blobs/sha256/`)) {
      while (!marker.done && marker.value.name < blob.name) marker = await markers.next()
      const touched = !marker.done && marker.value.name === blob.name ? marker.value.modifiedAt : 0
      if (/^[0-9a-f]{64}$/.test(blob.name)) yield { digest: `sha256:${blob.name}`, size: blob.size, modifiedAt: Math.max(blob.modifiedAt, touched) }
    }
  }

  // Listings carry whole-second dates: rounding up never makes a blob look older than it is.
  private async *listKeys(prefix: string): AsyncIterable<{ key: string; name: string; size: number; modifiedAt: number }> {
    let ContinuationToken: string | undefined
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken })).catch(fail)
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue
        yield { key: object.Key, name: object.Key.slice(prefix.length), size: object.Size ?? 0, modifiedAt: (object.LastModified?.getTime() ?? 0) + 999 }
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (ContinuationToken)
  }

  async sweepTemporary(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs
    const stale: string[] = []
    for await (const object of this.listKeys(`${this.root}tmp/`)) if (object.modifiedAt < cutoff) stale.push(object.key)
    await this.deleteKeys(stale)
    return stale.length
  }

  async writePart(uploadId: string, part: number, body: Readable, expect: { digest: string; size: number }): Promise<void> {
    const key = this.partKey(uploadId, part)
    const check = partCheck(part, expect)
    try {
      await new Upload({ client: this.client, params: { Bucket: this.bucket, Key: key, Body: Readable.from(check.transform(body)) }, partSize: Math.max(this.partBytes, 5 * MiB) }).done()
      check.verify()
    } catch (error) {
      // a refused part never counts (the session records only verified parts), but its bytes should not linger
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })).catch(() => {})
      throw translate(error)
    }
  }

  async readPart(uploadId: string, part: number): Promise<Readable> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.partKey(uploadId, part) }))
      return (out.Body as Readable | undefined) ?? Readable.from([])
    } catch (error) {
      if (isNotFound(error)) throw new CanonError('UPLOAD_INCOMPLETE', `Part ${part} of upload ${uploadId} is not stored; send it again.`, { part })
      throw translate(error)
    }
  }

  async deleteParts(uploadId: string): Promise<void> {
    const prefix = `${this.partKey(uploadId, 0).replace(/\/\d+$/, '')}/`
    const keys: string[] = []
    for await (const object of this.listKeys(prefix)) keys.push(object.key)
    await this.deleteKeys(keys)
  }

  async downloadUrl(digest: string, options: { filename?: string }): Promise<string | null> {
    if (this.presignTtlSeconds === undefined) return null
    const disposition = options.filename ? `attachment; filename*=UTF-8''${encodeURIComponent(options.filename)}` : undefined
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: this.blobKey(digest), ResponseContentDisposition: disposition })
    return getSignedUrl(this.client, command, { expiresIn: this.presignTtlSeconds })
  }

  private async deleteKeys(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const Objects = keys.slice(i, i + 1000).map((Key) => ({ Key }))
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects, Quiet: true } })).catch(fail)
    }
  }

  private stamp(): Record<string, string> {
    return { [WRITTEN_AT]: String(Date.now()) }
  }

}

// Vendor failures become Canon's codes here, at the adapter boundary.
const fail = (error: unknown): never => {
  throw translate(error)
}

function encodeCopySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } }
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404
}

function translate(error: unknown): unknown {
  if (error instanceof CanonError) return error
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }
  if (e?.$metadata?.httpStatusCode === 503 || e?.name === 'SlowDown' || e?.name === 'ServiceUnavailable') {
    return new CanonError('SERVICE_UNAVAILABLE', 'The S3 object store is overloaded or unavailable; retry shortly.')
  }
  if (e?.name === 'AccessDenied' || e?.$metadata?.httpStatusCode === 403) {
    return new CanonError('SERVICE_UNAVAILABLE', "Canon's S3 credentials were refused by the object store; an administrator must fix the server's AWS credentials.")
  }
  return error
}
