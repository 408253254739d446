import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { afterAll, describe, expect, it } from 'vitest'
import { sha256Bytes } from '../src/index'
import { backends, makeVersion, tempDir, useServer } from './support'

describe.each(backends)('files and blobs through the SDK (%s)', (backend) => {
  const ctx = useServer(backend)
  const scratch = tempDir()
  afterAll(async () => (await scratch).remove())

  it("lists a version's manifest with sizes and digests", async () => {
    await makeVersion(ctx.canon, 'files', { 'model.bin': 'abc', 'nested/dir/weights.bin': 'defgh' })
    const manifest = await ctx.canon.files.manifest('files', 1)
    expect(manifest).toEqual(
      expect.arrayContaining([
        { path: 'model.bin', size: 3, digest: sha256Bytes(Buffer.from('abc')) },
        { path: 'nested/dir/weights.bin', size: 5, digest: sha256Bytes(Buffer.from('defgh')) },
      ]),
    )
  })

  it('downloads a file as a Node stream or a web stream, and a byte range of it', async () => {
    await makeVersion(ctx.canon, 'download me', { 'dir with space/ü.txt': '0123456789' })
    const whole = await ctx.canon.files.download('download me', 1, 'dir with space/ü.txt')
    expect(whole.digest).toBe(sha256Bytes(Buffer.from('0123456789')))
    expect(whole.contentLength).toBe(10)
    expect(await text(whole.nodeStream())).toBe('0123456789')

    const web = await ctx.canon.files.download('download me', 1, 'dir with space/ü.txt')
    expect(await new Response(web.body).text()).toBe('0123456789')

    const part = await ctx.canon.files.download('download me', 1, 'dir with space/ü.txt', { range: { start: 2, end: 5 } })
    expect(part.range).toEqual({ start: 2, end: 5, total: 10 })
    expect(await text(part.nodeStream())).toBe('2345')
    const tail = await ctx.canon.files.download('download me', 1, 'dir with space/ü.txt', { range: { start: 7 } })
    expect(await text(tail.nodeStream())).toBe('789')
  })

  it('reports a file the version does not have as FILE_NOT_FOUND', async () => {
    await makeVersion(ctx.canon, 'sparse')
    await expect(ctx.canon.files.download('sparse', 1, 'missing.bin')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', status: 404 })
  })

  it('says whether the server has a blob without downloading it', async () => {
    const bytes = Buffer.from('present')
    const digest = sha256Bytes(bytes)
    expect(await ctx.canon.blobs.has(digest)).toBe(false)
    expect(await ctx.canon.blobs.stat(digest)).toBeNull()
    expect(await ctx.canon.blobs.upload(digest, bytes)).toEqual({ digest, size: 7, created: true })
    expect(await ctx.canon.blobs.has(digest)).toBe(true)
    expect(await ctx.canon.blobs.stat(digest)).toEqual({ digest, size: 7 })
  })

  it('uploads from a file path, a Node stream and a web stream, storing identical content once', async () => {
    const dir = (await scratch).path
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 'x')
    const digest = sha256Bytes(bytes)
    const file = join(dir, 'weights.bin')
    await writeFile(file, bytes)
    const progress: number[] = []
    const fromPath = await ctx.canon.blobs.upload(digest, file, { onProgress: (sent) => progress.push(sent) })
    expect(fromPath).toEqual({ digest, size: bytes.length, created: true })
    expect(progress.at(-1)).toBe(bytes.length)

    expect(await ctx.canon.blobs.upload(digest, Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]))).toMatchObject({ created: false })
    expect(await ctx.canon.blobs.upload(digest, Readable.toWeb(Readable.from([bytes])) as ReadableStream<Uint8Array>)).toMatchObject({ created: false })
    expect(await ctx.canon.blobs.uploadFile(file)).toEqual({ digest, size: bytes.length, created: false })
  })

  it('refuses bytes that do not hash to the digest they are uploaded under', async () => {
    const digest = sha256Bytes(Buffer.from('the real thing'))
    await expect(ctx.canon.blobs.upload(digest, Buffer.from('an impostor'))).rejects.toMatchObject({ code: 'DIGEST_MISMATCH', status: 400 })
    expect(await ctx.canon.blobs.has(digest)).toBe(false)
  })

  it('refuses a malformed digest before sending anything', async () => {
    await expect(ctx.canon.blobs.has('md5:abc')).rejects.toMatchObject({ code: 'INVALID_DIGEST', status: 0 })
  })

  it('downloads a blob by digest, whole or in part', async () => {
    const bytes = Buffer.from('blob by digest')
    const digest = sha256Bytes(bytes)
    await ctx.canon.blobs.upload(digest, bytes)
    expect(await text((await ctx.canon.blobs.download(digest)).nodeStream())).toBe('blob by digest')
    expect(await text((await ctx.canon.blobs.download(digest, { range: { start: 5, end: 6 } })).nodeStream())).toBe('by')
  })
})
