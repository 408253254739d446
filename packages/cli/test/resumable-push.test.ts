import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CanonClient } from '@canon/sdk'
import { backends, startTestServer, tempDir, type TestServer } from '../../server/test/support/backends'
import { startTcpProxy, type TcpProxy } from '../../server/test/support/tcp-proxy'
import { runCanon, spawnCanon } from './run-canon'

const KiB = 1024
const PART = 64 * KiB
const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

describe.each(backends)('canon push of a large file (%s)', (backend) => {
  let server: TestServer
  let proxy: TcpProxy
  let scratch: Awaited<ReturnType<typeof tempDir>>
  beforeAll(async () => {
    server = await startTestServer(backend)
    proxy = await startTcpProxy(server.url)
    scratch = await tempDir('canon-cli-')
  })
  afterAll(async () => {
    await proxy?.close()
    await server?.stop()
    await scratch?.remove()
  })

  it('sends a file above CANON_PART_THRESHOLD in parts', async () => {
    const bytes = Buffer.alloc(4 * PART + 5, 3)
    await writeFile(join(scratch.path, 'big.bin'), bytes)
    const pushed = await runCanon(['push', 'big-model', join(scratch.path, 'big.bin'), '--part-size', '64KiB'], { CANON_URL: server.url, CANON_PART_THRESHOLD: '128KiB' })
    expect(pushed).toMatchObject({ code: 0, stderr: '' })
    expect(pushed.stdout).toContain('uploaded 1 blob')
    expect(await new CanonClient({ url: server.url }).blobs.stat(sha256(bytes))).toEqual({ digest: sha256(bytes), size: bytes.length })
  })

  it('after a push is killed mid-upload, pushing again sends only the parts the server lacks', async () => {
    const bytes = Buffer.from(Array.from({ length: 6 * PART + 77 }, (_, i) => (i * 13 + (i >> 10)) & 0xff))
    const file = join(scratch.path, 'killed.bin')
    await writeFile(file, bytes)
    const args = ['push', 'killed-model', file, '--part-threshold', '128KiB', '--part-size', '64KiB']
    // The network goes dead after 5.5 parts' worth of bytes; with at most 4 parts in flight, at least 2 got through whole.
    const stalled = proxy.stallAt(proxy.bytesUp + Math.floor(5.5 * PART))
    const child = spawnCanon(args, { CANON_URL: proxy.url })
    await stalled
    const partsStored = async () => Number((await server.store.db.selectFrom('upload_parts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    for (let i = 0; i < 100 && (await partsStored()) < 2; i++) await new Promise((r) => setTimeout(r, 50))
    expect(await partsStored()).toBeGreaterThanOrEqual(2)
    child.kill('SIGKILL')
    await new Promise((resolve) => child.on('close', resolve))
    proxy.unstall()

    const start = proxy.bytesUp
    const again = await runCanon(args, { CANON_URL: proxy.url })
    expect(again).toMatchObject({ code: 0, stderr: '' })
    expect(again.stdout).toMatch(/resumed an interrupted upload/)
    const sent = proxy.bytesUp - start
    // the parts the server had were not sent again
    expect(sent).toBeLessThan(bytes.length - 2 * PART + 32 * KiB)
    const version = await new CanonClient({ url: server.url }).versions.get('killed-model', 1)
    expect(version.files).toEqual([{ path: 'killed.bin', size: bytes.length, digest: sha256(bytes) }])
  })
})
