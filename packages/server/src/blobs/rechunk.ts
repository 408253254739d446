/** Regroups a byte stream into buffers of exactly `size` bytes (the last may be shorter; an empty stream yields none). */
export async function* rechunk(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = []
  let pendingBytes = 0
  for await (const chunk of source) {
    let rest = chunk
    while (pendingBytes + rest.length >= size) {
      const take = size - pendingBytes
      pending.push(rest.subarray(0, take))
      yield Buffer.concat(pending)
      rest = rest.subarray(take)
      pending = []
      pendingBytes = 0
    }
    if (rest.length > 0) {
      pending.push(rest)
      pendingBytes += rest.length
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending)
}
