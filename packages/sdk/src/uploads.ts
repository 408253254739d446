import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { PART_DIGEST_HEADER, type BlobUpload, type UploadSession } from '@canon/api'
import { mapWithLimit } from './concurrency'
import { CanonApiError, isCanonApiError } from './errors'
import { pullStream } from './streams'
import type { Transport } from './transport'

export interface PartUploadOptions {
  /** bytes per part; the server decides when resuming a session that already has one (default: the server's) */
  partSize?: number
  /** parts sent at once (default 4) */
  concurrency?: number
  /** tries per part before giving up (default 5) */
  attempts?: number
  /** first pause between tries, doubled each time up to 10 s (default 500 ms) */
  retryDelayMs?: number
  /** called as bytes leave, with the running total for the whole blob (parts the server already had count as sent) */
  onProgress?: (bytesSent: number) => void
  signal?: AbortSignal
}

export interface PartUploadResult extends BlobUpload {
  upload: string
  partCount: number
  /** parts sent by this call (a resumed upload sends only the missing ones; a retried part counts once per try) */
  partsSent: number
  /** bytes the server already had when this call started */
  resumedBytes: number
}

const uploadsPath = '/api/v1/uploads'

/**
 * Sends a local file as a resumable upload: opens (or resumes) the caller's session for this blob, sends only the
 * parts the server lacks, each with its sha256; a part that fails on the network or with a 5xx is retried after
 * asking the server which parts it has; then completes, which the server verifies against the whole digest.
 */
export async function uploadInParts(http: Transport, digest: string, path: string, size: number, options: PartUploadOptions = {}): Promise<PartUploadResult> {
  const attempts = options.attempts ?? 5
  const session = await retrying(attempts, options, () => http.json<UploadSession>('POST', uploadsPath, { json: { digest, size, ...(options.partSize && { partSize: options.partSize }) }, signal: options.signal }))
  const sessionPath = `${uploadsPath}/${encodeURIComponent(session.id)}`
  let received = new Set(session.parts.map((p) => p.number))
  const resumedBytes = session.bytesReceived
  let sentTotal = resumedBytes
  let partsSent = 0
  const inFlight = new Map<number, number>()
  const report = () => options.onProgress?.(sentTotal + [...inFlight.values()].reduce((a, b) => a + b, 0))
  report()

  const file = await open(path, 'r')
  try {
    const missing = Array.from({ length: session.partCount }, (_, i) => i + 1).filter((n) => !received.has(n))
    await mapWithLimit(missing, options.concurrency ?? 4, async (number) => {
      const start = (number - 1) * session.partSize
      const length = Math.min(session.partSize, size - start)
      const bytes = Buffer.alloc(length)
      const { bytesRead } = await file.read(bytes, 0, length, start)
      if (bytesRead !== length) throw new CanonApiError(0, 'SIZE_MISMATCH', `${path} is shorter than the ${size} bytes it had when hashed; did it change during the upload?`, { path })
      const partDigest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
      await retrying(
        attempts,
        options,
        async () => {
          partsSent++
          inFlight.set(number, 0)
          const body = pullStream(chunks(bytes), (chunk) => {
            inFlight.set(number, (inFlight.get(number) ?? 0) + chunk.byteLength)
            report()
          })
          await http.send('PUT', `${sessionPath}/parts/${number}`, { body, headers: { [PART_DIGEST_HEADER]: partDigest, 'content-length': String(length) }, signal: options.signal })
        },
        // before trying again, ask what arrived: the part may have landed before the connection dropped
        async () => {
          inFlight.delete(number)
          received = new Set((await http.json<UploadSession>('GET', sessionPath, { signal: options.signal })).parts.map((p) => p.number))
          return received.has(number)
        },
      )
      inFlight.delete(number)
      sentTotal += length
      report()
    })
  } finally {
    await file.close()
  }

  const result = await retrying(attempts, options, async () => {
    try {
      return await http.json<BlobUpload>('POST', `${sessionPath}/complete`, { signal: options.signal })
    } catch (error) {
      // a completion whose answer was lost: the session is gone and the blob is there
      if (isCanonApiError(error, 'UPLOAD_NOT_FOUND') && (await http.request('HEAD', `/api/v1/blobs/${encodeURIComponent(digest)}`, { accept: [404] })).status === 200) {
        return { digest, size, created: false }
      }
      throw error
    }
  })
  return { ...result, upload: session.id, partCount: session.partCount, partsSent, resumedBytes }
}

/** Runs `attempt` until it succeeds, retrying network failures and 5xx answers; `alreadyDone` may skip the rest. */
async function retrying<T>(attempts: number, options: PartUploadOptions, attempt: () => Promise<T>, alreadyDone?: () => Promise<boolean>): Promise<T> {
  let delay = options.retryDelayMs ?? 500
  for (let i = 1; ; i++) {
    try {
      return await attempt()
    } catch (error) {
      if (i >= attempts || !retryable(error)) throw error
      await new Promise((resolve) => setTimeout(resolve, delay))
      options.signal?.throwIfAborted()
      delay = Math.min(delay * 2, 10_000)
      if (alreadyDone && (await alreadyDone().catch(() => false))) return undefined as T
    }
  }
}

function retryable(error: unknown): boolean {
  if (!(error instanceof CanonApiError)) return false
  return error.code === 'UNREACHABLE' || error.status >= 500
}

function* chunks(bytes: Buffer, size = 1024 * 1024): Iterable<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size)
}
