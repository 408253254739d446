import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import { UploadLimits, type BlobUpload, type CreateUploadInput, type UploadSession } from '@canon/api'
import { UPLOAD_ID } from '../blobs/blob-store'
import { CanonError } from '../domain/errors'
import { checkDigest } from '../domain/validation'
import type { UploadSessionRow } from '../store/uploads.repo'
import type { Actor, ServiceDeps } from './context'

const DEFAULT_TTL_MS = 24 * 3600 * 1000
const ttlOf = (deps: ServiceDeps) => deps.uploadTtlMs ?? DEFAULT_TTL_MS

/**
 * Opens a resumable upload of one blob, or hands back the caller's live session for the same blob, so a client
 * that lost its session id (a killed process) resumes instead of starting over.
 */
export async function createUpload(deps: ServiceDeps, actor: Actor, input: CreateUploadInput): Promise<{ session: UploadSession; resumed: boolean }> {
  const digest = checkDigest(input.digest)
  if (input.size > deps.maxBlobBytes) {
    throw new CanonError('PAYLOAD_TOO_LARGE', `The upload declares ${input.size} bytes; the limit is ${deps.maxBlobBytes} (CANON_MAX_BLOB_BYTES).`, { maxBytes: deps.maxBlobBytes })
  }
  const now = deps.clock()
  const open = await deps.store.uploads.findOpen(actor.name, digest, input.size, now)
  if (open) return { session: await describe(deps, open), resumed: true }
  const partSize = input.partSize ?? defaultPartSize(input.size)
  const partCount = Math.max(1, Math.ceil(input.size / partSize))
  if (partCount > UploadLimits.maxParts) {
    const least = Math.ceil(input.size / UploadLimits.maxParts)
    throw new CanonError('INVALID_INPUT', `${input.size} bytes in ${partSize}-byte parts would take ${partCount} parts; the limit is ${UploadLimits.maxParts}, so use parts of at least ${least} bytes.`, { field: 'partSize', minimum: least })
  }
  const row: UploadSessionRow = { id: randomUUID(), digest, size: input.size, partSize, partCount, createdBy: actor.name, createdAt: now, expiresAt: now + ttlOf(deps) }
  await deps.store.uploads.insert(row)
  deps.log.debug({ upload: row.id, digest, size: row.size, partCount }, 'upload opened')
  return { session: await describe(deps, row), resumed: false }
}

export async function getUpload(deps: ServiceDeps, actor: Actor, id: string): Promise<UploadSession> {
  return describe(deps, await findLive(deps, actor, id))
}

/** Stores part `number` if it is exactly the bytes the session expects there and hashes to `partDigest`. */
export async function uploadPart(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  number: number,
  body: Readable,
  sent: { partDigest: string | undefined; contentLength?: number },
): Promise<{ number: number; size: number; digest: string }> {
  const session = await findLive(deps, actor, id)
  if (!Number.isInteger(number) || number < 1 || number > session.partCount) {
    throw new CanonError('INVALID_PART', `Part ${number} is outside this upload's parts 1..${session.partCount}.`, { part: number, partCount: session.partCount })
  }
  if (sent.partDigest === undefined) throw new CanonError('INVALID_DIGEST', "Send the part's sha256 in the x-canon-part-digest header (sha256:<64 hex>).")
  const digest = checkDigest(sent.partDigest)
  const size = number < session.partCount ? session.partSize : session.size - session.partSize * (session.partCount - 1)
  if (sent.contentLength !== undefined && sent.contentLength !== size) {
    throw new CanonError('INVALID_PART', `Part ${number} must be exactly ${size} bytes; the request declares ${sent.contentLength}.`, { part: number, expectedSize: size })
  }
  await deps.blobs.writePart(id, number, body, { digest, size })
  const now = deps.clock()
  if (!(await deps.store.uploads.recordPart(id, { number, size, digest }, now, now + ttlOf(deps)))) {
    await deps.blobs.deleteParts(id)
    throw new CanonError('UPLOAD_NOT_FOUND', `Upload ${id} was completed, aborted or expired while part ${number} arrived.`, { upload: id })
  }
  return { number, size, digest }
}

/** Joins the parts into the blob; the store hashes the whole and makes it visible only if it matches the session's digest. */
export async function completeUpload(deps: ServiceDeps, actor: Actor, id: string): Promise<BlobUpload> {
  const session = await findLive(deps, actor, id)
  const received = new Set((await deps.store.uploads.parts(id)).map((p) => p.number))
  const missing: number[] = []
  for (let n = 1; n <= session.partCount && missing.length < 100; n++) if (!received.has(n)) missing.push(n)
  if (missing.length > 0) {
    throw new CanonError('UPLOAD_INCOMPLETE', `Upload ${id} still lacks part${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}; send them, then complete.`, { missing })
  }
  const { size, created } = await deps.blobs.put(session.digest, Readable.from(joinParts(deps, id, session.partCount)), { maxBytes: deps.maxBlobBytes })
  await deps.store.uploads.delete(id)
  await deps.blobs.deleteParts(id)
  deps.log.debug({ upload: id, digest: session.digest, size, created }, 'upload completed')
  return { digest: session.digest, size, created }
}

export async function abortUpload(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  await findLive(deps, actor, id)
  await deps.store.uploads.delete(id)
  await deps.blobs.deleteParts(id)
}

/** Removes uploads past their expiry, parts first, so a sweep cut short leaves rows that the next sweep finishes. */
export async function sweepExpiredUploads(deps: ServiceDeps): Promise<number> {
  let removed = 0
  for (;;) {
    const ids = await deps.store.uploads.expiredIds(deps.clock(), 100)
    for (const id of ids) {
      await deps.blobs.deleteParts(id)
      if (await deps.store.uploads.delete(id)) removed++
    }
    if (ids.length < 100) break
  }
  if (removed > 0) deps.log.info({ removed }, 'abandoned uploads removed')
  return removed
}

async function* joinParts(deps: ServiceDeps, id: string, partCount: number): AsyncGenerator<Buffer> {
  for (let n = 1; n <= partCount; n++) yield* (await deps.blobs.readPart(id, n)) as AsyncIterable<Buffer>
}

// Someone else's session reads as missing: its id reveals nothing and cannot be used.
async function findLive(deps: ServiceDeps, actor: Actor, id: string): Promise<UploadSessionRow> {
  const session = UPLOAD_ID.test(id) ? await deps.store.uploads.find(id) : undefined
  if (!session || session.createdBy !== actor.name || session.expiresAt <= deps.clock()) {
    throw new CanonError('UPLOAD_NOT_FOUND', `No upload '${id.slice(0, 80)}' is open; it may have completed, been aborted or expired. Start a new one with POST /api/v1/uploads.`, { upload: id.slice(0, 80) })
  }
  return session
}

async function describe(deps: ServiceDeps, row: UploadSessionRow): Promise<UploadSession> {
  const parts = await deps.store.uploads.parts(row.id)
  return {
    id: row.id,
    digest: row.digest,
    size: row.size,
    partSize: row.partSize,
    partCount: row.partCount,
    parts,
    bytesReceived: parts.reduce((sum, p) => sum + p.size, 0),
    createdAt: new Date(row.createdAt).toISOString(),
    expiresAt: new Date(row.expiresAt).toISOString(),
  }
}

/** The default part size, grown (in whole MiB) when the blob would otherwise need more parts than allowed. */
function defaultPartSize(size: number): number {
  const MiB = 1024 * 1024
  const least = Math.ceil(Math.ceil(size / UploadLimits.maxParts) / MiB) * MiB
  return Math.min(Math.max(UploadLimits.defaultPartBytes, least), UploadLimits.maxPartBytes)
}
