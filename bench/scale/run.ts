// `npm run bench:scale` (or BENCH_SCALE=1 npm run bench): seeds 1k → 10k → 100k → 1M versions straight into the
// metadata store (bulk SQL; HTTP seeding of a million versions would take hours), and at each size starts a real
// server child process on that data and measures it with autocannon over loopback, on SQLite and on PostgreSQL.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openMetadataStore, type MetadataStore } from '../../packages/server/src/store/metadata-store'
import { startChildServer } from '../lib/child-server'
import { loadBenchConfig } from '../config'
import { measurePhase, type PhaseResult } from '../lib/measure'
import { ProcessMonitor } from '../lib/process-monitor'
import { finishSeeding, seedRange } from './bulk-seed'
import { scaleSpecs } from './scenarios'
import { growthTable, targetLines, type ScaleRun } from './scale-report'

type Backend = 'sqlite' | 'postgres'
const env = process.env
const sizes = (env.BENCH_SCALE_SIZES ?? '1000,10000,100000,1000000').split(',').map(Number)
const backends = (env.BENCH_SCALE_BACKENDS ?? 'sqlite,postgres').split(',') as Backend[]
const load = { connections: Number(env.BENCH_CONNECTIONS ?? 4), durationSeconds: Number(env.BENCH_DURATION ?? 5), warmupSeconds: Number(env.BENCH_WARMUP ?? 1) }
/** a size whose seeding would take longer than this (extrapolated from the last step) is skipped, and the run says so */
const maxSeedSeconds = Number(env.BENCH_SCALE_MAX_SEED_SECONDS ?? 900)
/** The read cache would answer these read-only, repeating requests from memory; off by default, so the table shows what the data costs. */
const readCacheMB = env.BENCH_READ_CACHE_MB ?? '0'
// the heap flags `npm start` uses, as in the main bench
const serverNodeFlags = loadBenchConfig(env).serverNodeFlags
const adminUrl = env.CANON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const here = import.meta.dirname
const log = (line: string) => console.error(`[bench:scale ${new Date().toISOString().slice(11, 19)}] ${line}`)
const BATCH = 100_000

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

async function runBackend(backend: Backend, workDir: string, monitor: ProcessMonitor): Promise<ScaleRun> {
  const dataDir = join(workDir, backend)
  const dbName = `canon_scale_${process.pid}_${randomBytes(3).toString('hex')}`
  let url: string | undefined
  if (backend === 'postgres') {
    await admin(`create database "${dbName}"`)
    const u = new URL(adminUrl)
    u.pathname = `/${dbName}`
    url = u.toString()
  }
  const open = (): MetadataStore => (url ? openMetadataStore({ kind: 'postgres', url, poolSize: 4 }) : openMetadataStore({ kind: 'sqlite', file: join(dataDir, 'canon.db') }))
  const run: ScaleRun = { backend, steps: [], skipped: [] }
  try {
    await rm(dataDir, { recursive: true, force: true })
    const { mkdir } = await import('node:fs/promises')
    await mkdir(dataDir, { recursive: true })
    let seeded = 0
    let secondsPerVersion = 0
    for (const size of sizes) {
      const estimate = (size - seeded) * secondsPerVersion
      if (estimate > maxSeedSeconds) {
        run.skipped.push(`${size}: seeding estimated at ${estimate.toFixed(0)} s > BENCH_SCALE_MAX_SEED_SECONDS=${maxSeedSeconds}`)
        log(`${backend}: skipping ${size} (${run.skipped.at(-1)})`)
        break
      }
      const store = open()
      await store.migrate()
      const started = performance.now()
      for (let from = seeded; from < size; from += BATCH) {
        await seedRange(store, backend, from, Math.min(size, from + BATCH))
        log(`${backend}: seeded ${Math.min(size, from + BATCH)} versions`)
      }
      const insertSeconds = (performance.now() - started) / 1000
      await finishSeeding(store, backend)
      const seedSeconds = (performance.now() - started) / 1000
      secondsPerVersion = seedSeconds / (size - seeded)
      seeded = size
      await store.close()
      log(`${backend}: ${size} versions seeded (+ANALYZE) in ${seedSeconds.toFixed(1)} s; starting the server`)

      const server = await startChildServer(
        join(here, '..', 'server-process.ts'),
        { CANON_DATA_DIR: dataDir, CANON_LOG_LEVEL: 'warn', CANON_LOG_FORMAT: 'json', CANON_ACTOR: 'bench', CANON_READ_CACHE_MB: readCacheMB, ...(url && { CANON_DATABASE_URL: url }) },
        join(workDir, `${backend}.log`),
        serverNodeFlags,
      )
      monitor.watch(server.pid)
      const phases: PhaseResult[] = []
      try {
        for (const spec of scaleSpecs(server.url, size)) {
          log(`${backend} ${size}: ${spec.name}…`)
          phases.push(await measurePhase(spec, server, monitor, load))
        }
      } finally {
        await server.stop()
      }
      run.steps.push({ versions: size, seedSeconds, insertSeconds, phases })
    }
  } finally {
    if (url) await admin(`drop database if exists "${dbName}" with (force)`)
  }
  return run
}

async function main(): Promise<number> {
  const workDir = await mkdtemp(join(env.BENCH_DIR ?? tmpdir(), 'canon-scale-'))
  const monitor = new ProcessMonitor(200)
  const runs: ScaleRun[] = []
  try {
    log(`sizes ${sizes.join(', ')} on ${backends.join(', ')}; ${load.connections} connections, ${load.durationSeconds} s per phase after ${load.warmupSeconds} s warm-up; CANON_READ_CACHE_MB=${readCacheMB}`)
    for (const backend of backends) runs.push(await runBackend(backend, workDir, monitor))
  } finally {
    monitor.stop()
    if (!env.BENCH_KEEP) await rm(workDir, { recursive: true, force: true })
  }
  const out = [`\n## Scale bench — ${new Date().toISOString()}\n`, `- machine: ${availableParallelism()} × ${cpus()[0]?.model ?? 'unknown'}, node ${process.version}`]
  out.push(`- load: autocannon, ${load.connections} connections, ${load.durationSeconds} s measured after ${load.warmupSeconds} s warm-up, per phase; server CANON_READ_CACHE_MB=${readCacheMB}, node flags ${serverNodeFlags.join(" ") || "(none)"}\n`)
  for (const run of runs) out.push(growthTable(run))
  out.push(`### Targets at the largest size\n\n${targetLines(runs).join('\n')}\n`)
  console.log(out.join('\n'))
  if (env.BENCH_JSON) await writeFile(env.BENCH_JSON, JSON.stringify(runs, null, 2))
  const failed = runs.flatMap((r) => r.steps.flatMap((s) => s.phases.filter((p) => p.non2xx > 0 || p.errors > 0).map((p) => `${r.backend} ${s.versions}: ${p.name}: ${p.non2xx} non-2xx, ${p.errors} errors`)))
  if (failed.length > 0) console.error(`\nINVALID RUN — every request must succeed:\n${failed.map((f) => `  - ${f}`).join('\n')}`)
  return failed.length > 0 ? 1 : 0
}

process.exitCode = await main()
