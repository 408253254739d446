import type { Readable } from 'node:stream'

export interface BlobInfo {
  digest: string
  size: number
  /** epoch ms the blob was written or last claimed by a version; garbage collection spares young blobs */
  modifiedAt: number
}

export interface PutOptions {
  /** refuse (PAYLOAD_TOO_LARGE) once the body passes this many bytes */
  maxBytes?: number
}

/**
 * Content-addressed storage. A blob becomes visible only after its bytes were hashed and matched its digest;
 * a failed or aborted upload leaves nothing behind.
 */
export interface BlobStore {
  stat(digest: string): Promise<BlobInfo | null>
  put(digest: string, body: Readable, options?: PutOptions): Promise<{ size: number; created: boolean }>
  /** stores bytes whose digest the caller does not know yet; the digest is computed while streaming */
  ingest(body: Readable, options?: PutOptions): Promise<{ digest: string; size: number; created: boolean }>
  /** `range` is inclusive, as in HTTP */
  read(digest: string, range?: { start: number; end: number }): Promise<Readable>
  /** marks the blob as just used, so a collection running now leaves it alone */
  touch(digest: string): Promise<void>
  delete(digest: string): Promise<boolean>
  list(): AsyncIterable<BlobInfo>
  /** removes temporary upload leftovers older than the given age; returns how many */
  sweepTemporary(olderThanMs: number): Promise<number>
  /**
   * Stores one part of a resumable upload apart from the blobs. Refused (nothing kept) unless the bytes are exactly
   * `expect.size` long and hash to `expect.digest`; writing a part again replaces it.
   */
  writePart(uploadId: string, part: number, body: Readable, expect: { digest: string; size: number }): Promise<void>
  readPart(uploadId: string, part: number): Promise<Readable>
  /** removes every stored part of an upload; removing none is fine */
  deleteParts(uploadId: string): Promise<void>
  /** a URL the client may fetch the blob from directly for a while (a pre-signed URL), or null when not offered */
  downloadUrl?(digest: string, options: { filename?: string }): Promise<string | null>
}

export const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
