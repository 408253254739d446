import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTcpProxy, type TcpProxy } from '../../server/test/support/tcp-proxy'
import { CanonClient, sha256Bytes } from '../src/index'
import { backends, tempDir, useServer } from './support'

const KiB = 1024
const PART = 64 * KiB
const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`
const blobOf = (seed: number, size = 5 * PART + 123) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed + (i >> 12)) & 0xff))

describe.each(backends)('resumable uploads from the SDK (%s)', (backend) => {
  const ctx = useServer(backend)
  let dir: { path: string; remove(): Promise<void> }
  let proxy: TcpProxy
  let viaProxy: CanonClient
  beforeAll(async () => {
    dir = await tempDir()
    proxy = await startTcpProxy(ctx.server.url)
    viaProxy = new CanonClient({ url: proxy.url })
  })
  afterAll(async () => {
    await proxy?.close()
    await dir?.remove()
  })

  const fileOf = async (name: string, bytes: Buffer) => {
    const path = join(dir.path, name)
    await writeFile(path, bytes)
    return path
  }

  it('pushes a file above the threshold in parts, with progress up to its size', async () => {
    const bytes = blobOf(1)
    const path = await fileOf('weights.bin', bytes)
    const uploaded: number[] = []
    const result = await ctx.canon.pushVersion('parts-model', path, {
      createModel: true,
      partThreshold: 100 * KiB,
      partSize: PART,
      onProgress: (p) => p.phase === 'uploading' && uploaded.push(p.bytesDone),
    })
    expect(result).toMatchObject({ uploadedBlobs: 1, uploadedBytes: bytes.length, resumedBytes: 0 })
    expect(uploaded.at(-1)).toBe(bytes.length)
    expect(uploaded).toEqual([...uploaded].sort((a, b) => a - b))
    const download = await ctx.canon.files.download('parts-model', result.version.version, 'weights.bin')
    expect(sha256(Buffer.from(await new Response(download.body).arrayBuffer()))).toBe(sha256(bytes))
  })

  it('retries a part cut off by a dropped connection and re-sends only what was missing', async () => {
    const bytes = blobOf(2)
    const path = await fileOf('dropped.bin', bytes)
    const start = proxy.bytesUp
    // cut the connection halfway through the third part's body
    proxy.dropAt(start + Math.floor(2.5 * PART))
    const result = await viaProxy.blobs.uploadInParts(sha256(bytes), path, bytes.length, { partSize: PART, concurrency: 1, retryDelayMs: 10 })
    await proxy.dropped()
    expect(result).toMatchObject({ digest: sha256(bytes), size: bytes.length, created: true, partCount: 6, resumedBytes: 0 })
    expect(result.partsSent).toBe(7)
    const sent = proxy.bytesUp - start
    // every byte once, plus the half part that was cut, plus request headers: far less than starting over
    expect(sent).toBeGreaterThan(bytes.length + PART / 2)
    expect(sent).toBeLessThan(bytes.length + PART / 2 + 16 * KiB)
    expect(await ctx.canon.blobs.stat(sha256(bytes))).toEqual({ digest: sha256(bytes), size: bytes.length })
  })

  it('resumes an upload a stopped client left behind, skipping the parts the server has', async () => {
    const bytes = blobOf(3)
    const path = await fileOf('stopped.bin', bytes)
    const stop = new AbortController()
    const first = viaProxy.blobs.uploadInParts(sha256(bytes), path, bytes.length, {
      partSize: PART,
      concurrency: 1,
      signal: stop.signal,
      // stopped halfway through the third part, as a killed process would be
      onProgress: (sent) => sent >= 2.5 * PART && stop.abort(),
    })
    await expect(first).rejects.toThrow()
    const start = proxy.bytesUp
    const result = await viaProxy.blobs.uploadInParts(sha256(bytes), path, bytes.length, { concurrency: 1 })
    expect(result.resumedBytes).toBe(2 * PART)
    expect(result.partsSent).toBe(4)
    expect(proxy.bytesUp - start).toBeLessThan(bytes.length - result.resumedBytes + 16 * KiB)
    const download = await ctx.canon.blobs.download(sha256(bytes))
    expect(sha256Bytes(Buffer.from(await new Response(download.body).arrayBuffer()))).toBe(sha256(bytes))
    expect(await readFile(path)).toEqual(bytes)
  })
})
