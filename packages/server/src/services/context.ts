import type { Logger } from 'pino'
import type { BlobStore } from '../blobs/blob-store'
import type { MetadataStore } from '../store/metadata-store'
import type { WebhookSettings } from './webhook-settings'

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
  /** webhook delivery settings; the defaults when left out */
  webhooks?: WebhookSettings
  /** a resumable upload that receives nothing for this long is abandoned (default 24 h) */
  uploadTtlMs?: number
}
