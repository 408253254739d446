import type { FastifyReply, FastifyRequest } from 'fastify'
import type { BlobStore } from '../blobs/blob-store'
import { CanonError } from '../domain/errors'

export type ByteRange = { start: number; end: number }

/**
 * Reads a single `bytes=` range. Anything it cannot honour as one range (several ranges, other units, bad syntax) is
 * ignored and the whole body is sent, as RFC 9110 allows; a well-formed range past the end is unsatisfiable.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match) return undefined
  const [, first = '', last = ''] = match
  if (first === '' && last === '') return undefined
  if (first === '') {
    const suffix = Number(last)
    if (suffix === 0 || size === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(first)
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1)
  if (last !== '' && Number(last) < start) return undefined
  if (start >= size) return 'unsatisfiable'
  return { start, end }
}

/** Streams a stored blob with its digest as ETag, honouring Range and If-None-Match, or redirects to a pre-signed URL. */
export async function sendBlob(
  request: FastifyRequest,
  reply: FastifyReply,
  blobs: BlobStore,
  blob: { digest: string; size: number; filename?: string },
): Promise<FastifyReply> {
  const etag = `"${blob.digest}"`
  reply.header('accept-ranges', 'bytes').header('etag', etag).header('x-canon-digest', blob.digest).header('content-type', 'application/octet-stream')
  if (blob.filename) reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(blob.filename)}`)
  const ifNoneMatch = request.headers['if-none-match']
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return reply.status(304).send()
  const ifRange = request.headers['if-range']
  const range = ifRange && ifRange !== etag ? undefined : parseRange(request.headers.range, blob.size)
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${blob.size}`)
    throw new CanonError('RANGE_NOT_SATISFIABLE', `The requested range lies outside the ${blob.size}-byte file.`, { size: blob.size })
  }
  if (request.method === 'HEAD') {
    reply.header('content-length', range ? range.end - range.start + 1 : blob.size)
    if (range) reply.header('content-range', `bytes ${range.start}-${range.end}/${blob.size}`)
    return reply.status(range ? 206 : 200).send()
  }
  // With pre-signed downloads on, the object store serves the bytes (and the Range, which clients resend on redirect).
  const direct = await blobs.downloadUrl?.(blob.digest, { filename: blob.filename })
  if (direct) return reply.header('cache-control', 'no-store').redirect(direct, 307)
  // A stored blob whose length differs from what we announce would leave the client waiting for bytes that never come.
  const stored = await blobs.stat(blob.digest)
  if (!stored || stored.size !== blob.size) {
    throw new CanonError('BLOB_CORRUPTED', `The stored bytes of ${blob.digest} are missing or damaged (expected ${blob.size} bytes, found ${stored?.size ?? 0}); restore the blob store from backup.`, { digest: blob.digest })
  }
  const stream = await blobs.read(blob.digest, range)
  if (range) {
    reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${blob.size}`).header('content-length', range.end - range.start + 1)
  } else {
    reply.status(200).header('content-length', blob.size)
  }
  return reply.send(stream)
}
