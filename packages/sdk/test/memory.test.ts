import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { backends, useServer } from './support'

const CHUNK = 1024 * 1024
const CHUNKS = 384

/** Fresh buffers every time, so a client that kept what it sent would show it in arrayBuffers. */
function* modelBytes(): Generator<Buffer> {
  for (let i = 0; i < CHUNKS; i++) yield Buffer.alloc(CHUNK, i % 251)
}

/** How far the memory held in ArrayBuffers (where stream chunks live) grows while `work` runs. */
async function arrayBufferGrowth(work: () => Promise<void>): Promise<number> {
  const baseline = process.memoryUsage().arrayBuffers
  let peak = baseline
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 20)
  try {
    await work()
  } finally {
    clearInterval(timer)
  }
  return peak - baseline
}

describe.each(backends.slice(0, 1))('memory stays flat for large blobs (%s)', (backend) => {
  const ctx = useServer(backend)
  const hash = createHash('sha256')
  for (const chunk of modelBytes()) hash.update(chunk)
  const digest = `sha256:${hash.digest('hex')}`
  const total = CHUNK * CHUNKS

  it('uploads a 384 MiB stream without keeping what it has sent', async () => {
    const growth = await arrayBufferGrowth(async () => {
      expect(await ctx.canon.blobs.upload(digest, modelBytes(), { size: total })).toMatchObject({ size: total, created: true })
    })
    expect(growth).toBeLessThan(total / 3)
  })

  it('downloads a 384 MiB blob as a stream without buffering it', async () => {
    let received = 0
    const growth = await arrayBufferGrowth(async () => {
      const download = await ctx.canon.blobs.download(digest)
      for await (const chunk of download.nodeStream()) received += (chunk as Buffer).length
    })
    expect(received).toBe(total)
    expect(growth).toBeLessThan(total / 3)
  })
})
