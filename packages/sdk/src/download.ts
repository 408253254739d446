import { Readable } from 'node:stream'
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web'
import { CanonApiError } from './errors'
import type { ByteRange } from './types'

/** An open download: headers are read, the body has not been consumed yet. */
export interface Download {
  /** sha256 digest of the whole file (not of the range) */
  digest: string | null
  /** bytes in this response's body */
  contentLength: number | null
  /** set when the server answered a Range request with 206 */
  range: { start: number; end: number; total: number } | null
  /** the body as a web stream */
  body: ReadableStream<Uint8Array>
  /** the body as a Node stream */
  nodeStream(): Readable
  /** stops the download without reading the rest */
  cancel(): Promise<void>
}

export function rangeHeader(range: ByteRange | undefined): Record<string, string> {
  if (!range) return {}
  if (!Number.isSafeInteger(range.start) || range.start < 0 || (range.end !== undefined && (!Number.isSafeInteger(range.end) || range.end < range.start))) {
    throw new CanonApiError(0, 'INVALID_RANGE', `Range ${range.start}-${range.end ?? ''} is not valid: start must be a whole number ≥ 0 and end ≥ start.`)
  }
  return { range: `bytes=${range.start}-${range.end ?? ''}` }
}

export function toDownload(response: Response): Download {
  const body = response.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() })
  const length = response.headers.get('content-length')
  return {
    digest: response.headers.get('x-canon-digest'),
    contentLength: length === null ? null : Number(length),
    range: parseContentRange(response.status === 206 ? response.headers.get('content-range') : null),
    body,
    nodeStream: () => Readable.fromWeb(body as NodeWebReadableStream<Uint8Array>),
    cancel: () => body.cancel(),
  }
}

function parseContentRange(header: string | null): Download['range'] {
  const match = header ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header) : null
  if (!match) return null
  return { start: Number(match[1]), end: Number(match[2]), total: Number(match[3]) }
}
