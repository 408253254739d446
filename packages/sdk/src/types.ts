import type { ListModelsParams, ListVersionsParams, Stage } from '@canon/api'

export interface CanonClientOptions {
  /** server base URL, e.g. http://127.0.0.1:5000 */
  url: string
  /** sent as `Authorization: Bearer <token>` */
  token?: string
  /** a fetch implementation; defaults to the global one */
  fetch?: typeof fetch
}

/** `tag` filters: 'key' (has the tag) or 'key=value'; several are ANDed. */
export type TagFilter = string | string[]

export type ModelQuery = Omit<ListModelsParams, 'tag'> & { tag?: TagFilter }

export type VersionQuery = Omit<ListVersionsParams, 'tag' | 'createdAfter' | 'createdBefore'> & {
  tag?: TagFilter
  createdAfter?: string | Date
  createdBefore?: string | Date
}

export interface StageChange {
  stage: Stage
  /** when promoting to Production, archive the current Production version(s); the server defaults to true */
  archiveExisting?: boolean
  reason?: string
  /** admins only: promote although the model's policy is not satisfied (needs a reason; audited) */
  override?: boolean
}

export interface AuditEvent {
  seq: number
  at: string
  actor: string
  action: string
  target: string
  before: unknown
  after: unknown
  reason: string | null
  hash: string
}

export type { AuditQuery } from '@canon/api'

export interface AuditPage {
  items: AuditEvent[]
  nextAfter: number | null
}

export interface AuditCheck {
  ok: boolean
  events: number
  brokenAt?: number
  why?: string
}

export interface Health {
  status: string
  version: string
}

export interface Readiness {
  status: string
  database: string
}

export interface GcOptions {
  /** delete for real; without it the report lists what would be deleted */
  apply?: boolean
  /** blobs touched more recently than this are kept; the server defaults to 3600 */
  graceSeconds?: number
}

export interface BlobInfo {
  digest: string
  size: number
}

/** A byte range; `end` is inclusive and defaults to the end of the file. */
export interface ByteRange {
  start: number
  end?: number
}
