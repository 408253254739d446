import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { localPathFor, type PullProgress, type PushProgress } from '../src/index'
import { backends, tempDir, useServer } from './support'

async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, ...path.split('/').slice(0, -1)), { recursive: true })
    await writeFile(join(root, ...path.split('/')), content)
  }
}

async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1).split('\\').join('/'))
    .sort()
}

describe.each(backends)('pushing and pulling versions (%s)', (backend) => {
  const ctx = useServer(backend)
  const scratch = tempDir()
  afterAll(async () => (await scratch).remove())
  const dir = async (name: string) => join((await scratch).path, name)

  const tree = {
    'model.onnx': Buffer.alloc(2 * 1024 * 1024 + 3, 1),
    'tokenizer/vocab.txt': 'a\nb\nc\n',
    'tokenizer/merges/merges.txt': 'a b\n',
    'copy-of-vocab.txt': 'a\nb\nc\n',
  }

  it('pushes a directory with nested files as forward-slash paths, creating the model on request', async () => {
    const source = await dir('push-src')
    await writeTree(source, tree)
    const events: PushProgress[] = []
    const result = await ctx.canon.pushVersion('team/pushed', source, { createModel: true, description: 'from disk', metrics: { loss: 0.1 }, onProgress: (p) => events.push(p) })
    expect(result).toMatchObject({ modelCreated: true, files: 4, uploadedBlobs: 3, skippedFiles: 0 })
    expect(result.version).toMatchObject({ model: 'team/pushed', version: 1, description: 'from disk', metrics: { loss: 0.1 } })
    expect(result.version.files.map((f) => f.path).sort()).toEqual(['copy-of-vocab.txt', 'model.onnx', 'tokenizer/merges/merges.txt', 'tokenizer/vocab.txt'])
    const totalBytes = 2 * 1024 * 1024 + 3 + 6 + 4 + 6
    expect(result.totalBytes).toBe(totalBytes)
    expect(events.filter((e) => e.phase === 'hashing').at(-1)).toMatchObject({ bytesDone: totalBytes, bytesTotal: totalBytes })
    expect(events.filter((e) => e.phase === 'uploading').at(-1)).toMatchObject({ bytesDone: totalBytes - 6, bytesTotal: totalBytes - 6 })
  })

  it('skips every blob the server already has on a second push', async () => {
    const source = await dir('push-src')
    const result = await ctx.canon.pushVersion('team/pushed', source, { onProgress: () => {} })
    expect(result).toMatchObject({ modelCreated: false, uploadedBlobs: 0, uploadedBytes: 0, skippedFiles: 4 })
    expect(result.version.version).toBe(2)
  })

  it('uploads only the files that changed', async () => {
    const source = await dir('push-src')
    await writeFile(join(source, 'tokenizer/vocab.txt'), 'a\nb\nc\nd\n')
    const result = await ctx.canon.pushVersion('team/pushed', source)
    expect(result).toMatchObject({ uploadedBlobs: 1, uploadedBytes: 8, skippedFiles: 3 })
  })

  it('pushes a single file under its own name', async () => {
    const file = join(await dir('single'), 'weights.bin')
    await writeTree(await dir('single'), { 'weights.bin': 'single file' })
    const result = await ctx.canon.pushVersion('single', file, { createModel: true })
    expect(result.version.files).toEqual([expect.objectContaining({ path: 'weights.bin', size: 11 })])
  })

  it('refuses to push to a missing model unless asked to create it, before uploading anything', async () => {
    const source = await dir('orphan')
    await writeTree(source, { 'unique.bin': 'only here' })
    await expect(ctx.canon.pushVersion('not-registered', source)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' })
    const gc = await ctx.canon.gc({ graceSeconds: 0 })
    expect(gc.collected).toEqual([])
  })

  it('refuses to push an empty directory', async () => {
    const empty = await dir('empty')
    await mkdir(empty, { recursive: true })
    await expect(ctx.canon.pushVersion('team/pushed', empty)).rejects.toMatchObject({ code: 'NO_FILES' })
  })

  it('pulls a version into a directory with identical bytes, verifying each file', async () => {
    const target = await dir('pulled')
    const events: PullProgress[] = []
    const result = await ctx.canon.pullVersion('models:/team/pushed/1', target, { onProgress: (p) => events.push(p) })
    expect(result.version.version).toBe(1)
    expect(await listTree(target)).toEqual(['copy-of-vocab.txt', 'model.onnx', 'tokenizer/merges/merges.txt', 'tokenizer/vocab.txt'])
    for (const [path, content] of Object.entries(tree)) expect(await readFile(join(target, ...path.split('/')))).toEqual(Buffer.from(content))
    expect(events.at(-1)).toMatchObject({ bytesDone: result.totalBytes, bytesTotal: result.totalBytes })
  })

  it('refuses a download whose bytes were tampered with on the server and leaves no file behind', async () => {
    const source = await dir('tamper-src')
    await writeTree(source, { 'model.bin': 'trustworthy weights' })
    const { version } = await ctx.canon.pushVersion('tampered', source, { createModel: true })
    const hex = version.files[0]!.digest.slice('sha256:'.length)
    await writeFile(join(ctx.server.dataDir, 'blobs', 'sha256', hex.slice(0, 2), hex), 'untrustworthy bytes')

    const target = await dir('tamper-dst')
    await expect(ctx.canon.pullVersion('models:/tampered/1', target)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH', details: { path: 'model.bin' } })
    expect(await listTree(target)).toEqual([])
  })

  it('refuses to download a file whose stored bytes were damaged, leaving no file behind', async () => {
    const source = await dir('short-src')
    await writeTree(source, { 'model.bin': 'a complete set of weights' })
    const { version } = await ctx.canon.pushVersion('truncated', source, { createModel: true })
    const hex = version.files[0]!.digest.slice('sha256:'.length)
    await writeFile(join(ctx.server.dataDir, 'blobs', 'sha256', hex.slice(0, 2), hex), 'a complete')

    // the server checks the stored length before it announces one, so the client is told at once instead of waiting
    const target = await dir('short-dst')
    await expect(ctx.canon.pullVersion('models:/truncated/1', target, { stallTimeoutMs: 300 })).rejects.toMatchObject({ code: 'BLOB_CORRUPTED', status: 500 })
    expect(await listTree(target)).toEqual([])
  })
})

describe('where pulled files land', () => {
  it('refuses manifest paths that would escape the target directory', () => {
    expect(localPathFor('/tmp/x', 'a/b.bin')).toBe(join('/tmp/x', 'a', 'b.bin'))
    for (const unsafe of ['../evil', 'a/../../evil', '/etc/passwd', 'a//b', 'C:/x', 'a\\..\\b']) {
      expect(() => localPathFor('/tmp/x', unsafe)).toThrow(expect.objectContaining({ code: 'UNSAFE_PATH' }))
    }
  })
})
