import { randomBytes } from 'node:crypto'
import pino from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig, startServer, type RunningServer } from '../../src/index'
import { tempDir } from '../support/backends'
import { client, enc } from '../support/http'
import { expectNoOrphans, waitFor } from './harness'
import { PrivatePostgres } from './private-postgres'

// PostgreSQL stopped (immediate, as a crash) and started again under traffic: while it is down every request fails at once
// with 503 DATABASE_UNAVAILABLE, /readyz says not ready, and Canon serves again once it is back, without a restart.

interface Answer {
  phase: 'up' | 'down' | 'restarting' | 'back'
  kind: 'create' | 'read'
  status: number
  code?: string
  version?: number
}

const includePostgres = (process.env.CANON_TEST_BACKENDS ?? 'postgres').includes('postgres')

describe.runIf(includePostgres)('a PostgreSQL restart under traffic', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
  })

  it('fails fast with 503 DATABASE_UNAVAILABLE while the database is down and recovers without a restart', { timeout: 180_000 }, async (context) => {
    const cluster = await PrivatePostgres.create()
    if ('unavailable' in cluster) {
      console.warn(`skipped: ${cluster.unavailable}`)
      context.skip()
      return
    }
    cleanups.push(() => cluster.destroy())
    const dir = await tempDir('canon-pg-outage-')
    cleanups.push(() => dir.remove())
    const config = loadConfig({ port: 0, dataDir: dir.path, databaseUrl: cluster.url }, { CANON_LOG_FORMAT: 'json', CANON_ACTOR: 'tester' })
    const server: RunningServer = await startServer(config, pino({ level: process.env.CANON_TEST_LOG ?? 'silent' }))
    cleanups.push(() => server.close())
    const http = client(server.url)

    const model = 'outage/churn'
    expect((await http.post('/api/v1/models', { name: model })).status).toBe(201)
    const files = [await http.upload('weights.bin', randomBytes(1024))]

    let phase: Answer['phase'] = 'up'
    let running = true
    const inFlight: Record<Answer['phase'], number> = { up: 0, down: 0, restarting: 0, back: 0 }
    const answers: Answer[] = []
    const worker = async (n: number) => {
      for (let i = 0; running; i++) {
        const kind = (n + i) % 2 === 0 ? 'create' : 'read'
        const started = phase
        inFlight[started]++
        // A hang would stall the test: the abort turns it into a failed request the assertions below report.
        const signal = AbortSignal.timeout(60_000)
        const response =
          kind === 'create'
            ? await fetch(`${server.url}/api/v1/models/${enc(model)}/versions`, { method: 'POST', body: JSON.stringify({ files }), headers: { 'content-type': 'application/json' }, signal })
            : await fetch(`${server.url}/api/v1/models/${enc(model)}`, { signal })
        const body = (await response.json()) as { version?: number; error?: { code: string } }
        answers.push({ phase: started, kind, status: response.status, code: body.error?.code, version: kind === 'create' && response.status === 201 ? body.version : undefined })
        inFlight[started]--
        if (response.status === 503) await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
    const workers = Array.from({ length: 4 }, (_, n) => worker(n))
    const created = (p: Answer['phase']) => answers.filter((a) => a.phase === p && a.status === 201).length

    await waitFor('versions created before the outage', () => created('up') >= 5)
    await cluster.crash()
    phase = 'down'
    await waitFor('requests answered during the outage', () => answers.filter((a) => a.phase === 'down').length >= 20)
    const ready = await http.get('/readyz')
    expect(ready.status).toBe(503)
    expect(ready.body.error.code).toBe('DATABASE_UNAVAILABLE')

    phase = 'restarting'
    // every request sent while the database was down has its answer before the database comes back
    await waitFor('the answers to requests sent during the outage', () => inFlight.down === 0)
    await cluster.start()
    await waitFor('/readyz once the database is back', async () => (await http.get('/readyz')).status === 200)
    phase = 'back'
    await waitFor('versions created after the outage', () => created('back') >= 5)
    running = false
    await Promise.all(workers)

    const during = answers.filter((a) => a.phase === 'down')
    expect(during.filter((a) => a.status !== 503 || a.code !== 'DATABASE_UNAVAILABLE'), 'answers while the database was down').toEqual([])
    expect(answers.filter((a) => a.status >= 500 && a.status !== 503), 'no 5xx but 503').toEqual([])
    expect(answers.filter((a) => a.status === 503 && a.code !== 'DATABASE_UNAVAILABLE'), 'every 503 says why').toEqual([])
    // Recovered: requests succeed again on the same process.
    for (let i = 0; i < 5; i++) expect((await http.post(`/api/v1/models/${enc(model)}/versions`, { files })).status).toBe(201)

    // Every acknowledged version is there, numbered without a gap, each audited once, and the chain verifies.
    const acked = answers.flatMap((a) => (a.version ? [a.version] : []))
    expect(acked.length).toBeGreaterThanOrEqual(10)
    const list = await http.get(`/api/v1/models/${enc(model)}/versions?limit=1000`)
    const numbers = (list.body.items as { version: number }[]).map((v) => v.version).sort((a, b) => a - b)
    expect(numbers).toEqual(numbers.map((_, i) => i + 1))
    for (const version of acked) expect(numbers).toContain(version)
    const audit = await http.get(`/api/v1/audit?action=version.create&limit=1000`)
    expect(audit.status).toBe(200)
    expect(audit.body.items).toHaveLength(numbers.length)
    expect((await http.get('/api/v1/audit/verify')).body).toMatchObject({ ok: true })
    await expectNoOrphans({ backend: 'postgres', dataDir: dir.path, databaseUrl: cluster.url })
  })
})
