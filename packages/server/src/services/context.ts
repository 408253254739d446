import type { Logger } from 'pino'
import type { BlobStore } from '../blobs/blob-store'
import type { MetadataStore } from '../store/metadata-store'

/** Who is acting; every write is attributed to one. */
export interface Actor {
  name: string
}

/** What every use case may touch. Passed explicitly so a use case's real dependencies stay visible. */
export interface ServiceDeps {
  store: MetadataStore
  blobs: BlobStore
  clock: () => number
  log: Logger
  maxBlobBytes: number
  /** a resumable upload that receives nothing for this long is abandoned (default 24 h) */
  uploadTtlMs?: number
}
