import { Readable } from 'node:stream'

export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array> | Readable | Uint8Array

/**
 * A web stream that reads from the source only when the consumer pulls, so a multi-GB body
 * never piles up in memory; `onChunk` sees each chunk as it leaves.
 */
export function pullStream(source: ByteSource, onChunk?: (chunk: Uint8Array) => void): ReadableStream<Uint8Array> {
  const iterator = toAsyncIterable(source)[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next()
        if (next.done) {
          controller.close()
          return
        }
        const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value
        onChunk?.(chunk)
        controller.enqueue(chunk)
      },
      async cancel(reason) {
        await iterator.return?.(reason)
      },
    },
    { highWaterMark: 0 },
  )
}

function toAsyncIterable(source: ByteSource): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) return Readable.from([source], { objectMode: false })
  if (source instanceof ReadableStream) return Readable.fromWeb(source as import('node:stream/web').ReadableStream<Uint8Array>)
  if (Symbol.asyncIterator in source) return source
  return Readable.from(source, { objectMode: false })
}
