import { createHash, randomBytes } from 'node:crypto'
import { request } from 'node:http'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonAt, jsonOf } from '../../../cli/test/run-canon'
import type { ServeProcess } from '../auth/serve-process'
import { backends, tempDir } from '../support/backends'
import { client, enc } from '../support/http'
import { createTestDatabase } from '../support/postgres'
import { countRows, expectNoOrphans, filesIn, openSiteStore, spawnServe, storedDigests, waitFor, type Site } from './harness'

// kill -9 of `canon serve` in the middle of uploads, version creations and promotions, then a restart on the same data:
// every acknowledged write is there, nothing half-done is visible, the audit chain verifies, and gc reclaims what nothing references.

const WORKERS = 6

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

/** Runs `one` from several workers until the server dies; returns what the server acknowledged. */
async function hammer<T>(one: (i: number) => Promise<T | undefined>, enough: (acked: T[]) => boolean, kill: () => Promise<void>): Promise<T[]> {
  const acked: T[] = []
  let dead = false
  let next = 0
  const worker = async () => {
    while (!dead) {
      try {
        const result = await one(next++)
        if (result !== undefined) acked.push(result)
      } catch {
        if (dead) return // the connection died with the server: not acknowledged
        throw new Error('a request failed while the server was still up')
      }
    }
  }
  const workers = Array.from({ length: WORKERS }, worker)
  await waitFor('enough acknowledged writes before the kill', () => enough(acked))
  dead = true
  await kill()
  await Promise.all(workers)
  return acked
}

describe.each(backends)('canon serve killed with SIGKILL on %s', (backend) => {
  let site: Site
  let cleanup: () => Promise<void>
  let serve: ServeProcess | undefined
  let http: ReturnType<typeof client>
  let url: string

  async function restart(): Promise<void> {
    await serve?.kill()
    ;({ serve, url } = await spawnServe(site))
    http = client(url)
  }

  async function expectChainVerifies(): Promise<void> {
    const check = await http.get('/api/v1/audit/verify')
    expect(check.status).toBe(200)
    expect(check.body).toMatchObject({ ok: true })
  }

  beforeAll(async () => {
    const dir = await tempDir('canon-crash-')
    const database = backend === 'postgres' ? await createTestDatabase() : undefined
    site = { backend, dataDir: dir.path, databaseUrl: database?.url }
    cleanup = async () => (await database?.drop(), await dir.remove())
    await restart()
  })
  afterAll(async () => {
    await serve?.kill()
    await cleanup?.()
  })

  it('an upload cut by the kill leaves no blob and no visible temp file; gc --apply reclaims finished uploads nothing references', { timeout: 120_000 }, async () => {
    const gc = () => jsonOf<{ collected: { digest: string }[] }>(canonAt(url)('gc', '--apply', '--grace', '0s', '--json'))
    const collected = (report: { collected: { digest: string }[] }) => report.collected.map((c) => c.digest).sort()
    const early = await http.upload('orphan.bin', randomBytes(4096))
    const tmp = join(site.dataDir, 'blobs', 'tmp')
    // Uploads that send half their bytes and then wait: the kill lands while they stream.
    const inFlight = Array.from({ length: 3 }, () => {
      const bytes = randomBytes(512 * 1024)
      const digest = sha256(bytes)
      const { hostname, port } = new URL(url)
      const upload = request({ host: hostname, port, method: 'PUT', path: `/api/v1/blobs/${digest}`, headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) } })
      upload.on('error', () => {}) // the server dies under it
      upload.write(bytes.subarray(0, bytes.length / 2))
      const finish = () => new Promise<number | undefined>((resolve) => (upload.on('response', (r) => (r.resume(), resolve(r.statusCode))), upload.end(bytes.subarray(bytes.length / 2))))
      return { digest, finish }
    })
    await waitFor('three partial uploads on disk', async () => (await filesIn(tmp)).length >= 3)

    // gc with no grace period, while the uploads stream: it takes the unreferenced blob, not the uploads in flight
    expect(collected(await gc())).toEqual([early.digest])
    expect(await filesIn(tmp), 'temporary files of uploads in flight').toHaveLength(3)
    expect(await inFlight[0]!.finish(), 'an upload in flight during gc completes').toBe(201)
    const late = await http.upload('late-orphan.bin', randomBytes(4096))

    await restart()
    for (const { digest } of inFlight.slice(1)) expect((await http.get(`/api/v1/blobs/${digest}`)).status, `cut upload ${digest}`).toBe(404)
    const finished = [late.digest, inFlight[0]!.digest].sort()
    expect(await storedDigests(site.dataDir)).toEqual(finished)
    expect(await filesIn(tmp), 'temporary files of the cut uploads').toHaveLength(2)

    expect(collected(await gc())).toEqual(finished)
    expect(await storedDigests(site.dataDir)).toEqual([])
    expect(await filesIn(tmp), 'temporary files after gc').toEqual([])
    expect((await http.get(`/api/v1/blobs/${late.digest}`)).status).toBe(404)
    await expectChainVerifies()
  })

  it('versions created while the server is killed are all there or not at all, numbered 1..N without a gap', { timeout: 120_000 }, async () => {
    const model = 'crash/creations'
    expect((await http.post('/api/v1/models', { name: model })).status).toBe(201)
    const files = [await http.upload('weights.bin', randomBytes(2048)), await http.upload('config.json', Buffer.from('{"layers": 2}'))]

    const acked = await hammer(
      async (i) => {
        const created = await http.post(`/api/v1/models/${enc(model)}/versions`, { files, description: `try ${i}`, tags: { try: String(i) }, metrics: { acc: i / 100 } })
        if (created.status !== 201) throw new Error(`create → ${created.status}`)
        return created.body.version as number
      },
      (done) => done.length >= 8,
      () => serve!.kill(),
    )
    await restart()

    const store = openSiteStore(site)
    try {
      const { rows } = await sql<{ version: number }>`select v.version from model_versions v join registered_models m on m.id = v.model_id where m.name = ${model} order by v.version`.execute(store.db)
      const numbers = rows.map((r) => Number(r.version))
      expect(numbers, 'version numbers').toEqual(numbers.map((_, i) => i + 1))
      for (const version of acked) expect(numbers, `acknowledged version ${version}`).toContain(version)
      const audited = await countRows(store, `select count(*) as n from audit_events where action = 'version.create' and target like 'version:crash/creations/%'`)
      expect(audited, 'one version.create audit event per version').toBe(numbers.length)
      // the next version continues the sequence
      const next = await http.post(`/api/v1/models/${enc(model)}/versions`, { files })
      expect(next.body.version).toBe(numbers.length + 1)
    } finally {
      await store.close()
    }
    for (const version of acked) {
      const got = await http.get(`/api/v1/models/${enc(model)}/versions/${version}`)
      expect(got.body.files.map((f: { digest: string }) => f.digest).sort()).toEqual(files.map((f) => f.digest).sort())
    }
    await expectNoOrphans(site)
    await expectChainVerifies()
  })

  it('promotions cut by the kill leave exactly one Production version and an audit event per stage change', { timeout: 120_000 }, async () => {
    const model = 'crash/promotions'
    expect((await http.post('/api/v1/models', { name: model })).status).toBe(201)
    const files = [await http.upload('weights.bin', randomBytes(1024))]
    for (let i = 0; i < 5; i++) expect((await http.post(`/api/v1/models/${enc(model)}/versions`, { files })).status).toBe(201)

    const acked = await hammer(
      async (i) => {
        const version = (i % 5) + 1
        const stage = 'Production'
        const moved = await http.post(`/api/v1/models/${enc(model)}/versions/${version}/stage`, { stage, reason: `move ${i}` })
        if (moved.status !== 200) throw new Error(`stage → ${moved.status} ${JSON.stringify(moved.body)}`)
        return { version, stage }
      },
      (done) => done.length >= 6,
      () => serve!.kill(),
    )
    expect(acked.length).toBeGreaterThan(0)
    await restart()

    const model$ = await http.get(`/api/v1/models/${enc(model)}/versions?limit=100`)
    const stages = (model$.body.items as { version: number; stage: string }[]).map((v) => v.stage)
    expect(stages.filter((s) => s === 'Production'), JSON.stringify(model$.body.items)).toHaveLength(1)

    const store = openSiteStore(site)
    try {
      const transitions = await countRows(
        store,
        `select count(*) as n from stage_transitions t join model_versions v on v.id = t.version_id join registered_models m on m.id = v.model_id where m.name = 'crash/promotions'`,
      )
      const audited = await countRows(store, `select count(*) as n from audit_events where action = 'version.stage' and target like 'version:crash/promotions/%'`)
      expect(audited, 'one version.stage audit event per stage transition').toBe(transitions)
    } finally {
      await store.close()
    }
    await expectNoOrphans(site)
    await expectChainVerifies()
  })
})
