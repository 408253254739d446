import { stat } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import { DIGEST_PATTERN, type BlobUpload } from '@canon/api'
import { rangeHeader, toDownload, type Download } from './download'
import { CanonApiError } from './errors'
import { sha256File } from './hashing'
import { paths } from './paths'
import { pullStream, type ByteSource } from './streams'
import { uploadInParts, type PartUploadOptions, type PartUploadResult } from './uploads'
import type { Transport } from './transport'
import type { BlobInfo, ByteRange } from './types'

const DIGEST = new RegExp(DIGEST_PATTERN)

export interface UploadOptions {
  /** the body's length, sent as Content-Length so the server can refuse an oversized upload up front */
  size?: number
  /** called as bytes leave, with the running total */
  onProgress?: (bytesSent: number) => void
  signal?: AbortSignal
}

export class BlobsApi {
  constructor(private readonly http: Transport) {}

  /** Size of a stored blob, or null if the server does not have it (HEAD; nothing is downloaded). */
  async stat(digest: string): Promise<BlobInfo | null> {
    const response = await this.http.request('HEAD', paths.blob(checkDigest(digest)), { accept: [404] })
    if (response.status === 404) return null
    return { digest, size: Number(response.headers.get('content-length') ?? 0) }
  }

  async has(digest: string): Promise<boolean> {
    return (await this.stat(digest)) !== null
  }

  /**
   * Streams `source` to the server under `digest`; it is stored only if the bytes hash to it (else DIGEST_MISMATCH).
   * A string is a file path. `created` is false when the server already had the blob.
   */
  async upload(digest: string, source: ByteSource | string, options: UploadOptions = {}): Promise<BlobUpload> {
    checkDigest(digest)
    let size = options.size
    let bytes: ByteSource
    if (typeof source === 'string') {
      size ??= (await stat(source)).size
      bytes = createReadStream(source, { highWaterMark: 1024 * 1024 })
    } else {
      if (source instanceof Uint8Array) size ??= source.byteLength
      bytes = source
    }
    let sent = 0
    const body = pullStream(bytes, (chunk) => {
      sent += chunk.byteLength
      options.onProgress?.(sent)
    })
    return this.http.json('PUT', paths.blob(digest), {
      body,
      headers: size === undefined ? {} : { 'content-length': String(size) },
      signal: options.signal,
    })
  }

  /**
   * Uploads a local file as a resumable upload in parts (see uploads.ts): retries failed parts, and resumes the
   * caller's open upload of the same blob, sending only the parts the server lacks. `size` is the file's length.
   */
  async uploadInParts(digest: string, path: string, size: number, options: PartUploadOptions = {}): Promise<PartUploadResult> {
    return uploadInParts(this.http, checkDigest(digest), path, size, options)
  }

  /** Hashes a local file (streaming) and uploads it. */
  async uploadFile(path: string, options: Omit<UploadOptions, 'size'> = {}): Promise<BlobUpload> {
    const { digest, size } = await sha256File(path)
    return this.upload(digest, path, { ...options, size })
  }

  /** Opens a blob for streaming; with `range`, only those bytes. */
  async download(digest: string, options: { range?: ByteRange; signal?: AbortSignal } = {}): Promise<Download> {
    const response = await this.http.request('GET', paths.blob(checkDigest(digest)), { headers: rangeHeader(options.range), signal: options.signal })
    return toDownload(response)
  }
}

function checkDigest(digest: string): string {
  if (!DIGEST.test(digest)) {
    throw new CanonApiError(0, 'INVALID_DIGEST', `'${digest.slice(0, 80)}' is not a digest: expected 'sha256:' followed by 64 lowercase hex characters.`)
  }
  return digest
}
