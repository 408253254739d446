import { createHash, type Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { Transform, type TransformCallback } from 'node:stream'

export interface FileDigest {
  digest: string
  size: number
}

/** sha256 of a file, read as a stream so memory stays flat however large it is. */
export async function sha256File(path: string, onBytes?: (bytesSoFar: number) => void): Promise<FileDigest> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    hash.update(chunk)
    size += chunk.length
    onBytes?.(size)
  }
  return { digest: `sha256:${hash.digest('hex')}`, size }
}

export function sha256Bytes(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/** A pass-through that hashes and counts what flows through it. */
export class HashingCounter extends Transform {
  private readonly hash: Hash = createHash('sha256')
  bytes = 0

  constructor(private readonly onBytes?: (bytesSoFar: number) => void) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk)
    this.bytes += chunk.length
    this.onBytes?.(this.bytes)
    callback(null, chunk)
  }

  digest(): string {
    return `sha256:${this.hash.digest('hex')}`
  }
}
