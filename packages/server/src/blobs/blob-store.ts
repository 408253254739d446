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
}
