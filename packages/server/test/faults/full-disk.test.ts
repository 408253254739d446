import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, startServer, type RunningServer } from '../../src/index'
import { backends, tempDir } from '../support/backends'
import { client, enc } from '../support/http'
import { createTestDatabase } from '../support/postgres'
import { filesIn, storedDigests } from './harness'

// The blob store on a real 2 MiB filesystem (tmpfs): an upload larger than the free space is refused with
// 507 INSUFFICIENT_STORAGE, leaves nothing behind, and the server goes on serving.

const run = promisify(execFile)
const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

describe.each(backends)('a full blob store on %s', (backend) => {
  let dataDir: Awaited<ReturnType<typeof tempDir>>
  let blobDir: string
  let mounted = false
  let unavailable: string | undefined
  let server: RunningServer | undefined
  let drop: (() => Promise<void>) | undefined

  beforeAll(async () => {
    dataDir = await tempDir('canon-full-disk-')
    blobDir = join(dataDir.path, 'blobs')
    await mkdir(blobDir)
    try {
      await run('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', blobDir])
      mounted = true
    } catch (error) {
      // mounting needs root (or CAP_SYS_ADMIN); without it there is no real small filesystem to fill
      unavailable = `cannot mount a 2 MiB tmpfs for the blob store: ${(error as Error).message.split('\n')[0]}`
      return
    }
    const database = backend === 'postgres' ? await createTestDatabase() : undefined
    drop = database?.drop
    const config = loadConfig({ port: 0, dataDir: dataDir.path, databaseUrl: database?.url }, { CANON_LOG_FORMAT: 'json', CANON_ACTOR: 'tester' })
    server = await startServer(config, pino({ level: process.env.CANON_TEST_LOG ?? 'silent' }))
  })
  afterAll(async () => {
    await server?.close()
    await drop?.()
    if (mounted) await run('umount', [blobDir]).catch(() => run('umount', ['-l', blobDir]))
    await dataDir?.remove()
  })

  it('refuses an upload larger than the free space with 507, keeps nothing partial, and serves on', { timeout: 60_000 }, async (context) => {
    if (unavailable) {
      console.warn(`skipped: ${unavailable}`)
      context.skip()
      return
    }
    const http = client(server!.url)
    const big = randomBytes(3 * 1024 * 1024)
    const refused = await fetch(`${server!.url}/api/v1/blobs/${sha256(big)}`, { method: 'PUT', body: big, headers: { 'content-type': 'application/octet-stream' } })
    expect(refused.status).toBe(507)
    const body = (await refused.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('INSUFFICIENT_STORAGE')
    expect(body.error.message).toMatch(/out of space; nothing was stored/)

    expect(await filesIn(join(blobDir, 'tmp')), 'temporary files').toEqual([])
    expect(await storedDigests(dataDir.path), 'stored blobs').toEqual([])
    expect((await http.get(`/api/v1/blobs/${sha256(big)}`)).status).toBe(404)

    // The MLflow artifact upload on the same full store says the same in MLflow's words.
    const experiment = await http.post('/api/2.0/mlflow/experiments/create', { name: 'full-disk' })
    const mlflowRefused = await fetch(`${server!.url}/api/2.0/mlflow-artifacts/artifacts/${experiment.body.experiment_id}/big.bin`, { method: 'PUT', body: big })
    expect(mlflowRefused.status).toBe(507)
    expect(((await mlflowRefused.json()) as { error_code: string }).error_code).toBe('RESOURCE_EXHAUSTED')
    expect(await filesIn(join(blobDir, 'tmp')), 'temporary files after the MLflow upload').toEqual([])

    // and the server goes on: a small upload, a model and a version referencing it
    const small = await http.upload('weights.bin', randomBytes(64 * 1024))
    expect((await http.post('/api/v1/models', { name: 'full-disk/model' })).status).toBe(201)
    expect((await http.post(`/api/v1/models/${enc('full-disk/model')}/versions`, { files: [small] })).status).toBe(201)
    expect(await storedDigests(dataDir.path)).toEqual([small.digest])
    expect((await http.get('/readyz')).status).toBe(200)
  })
})
