// `npm run bench`: seeds Canon over HTTP, measures it against a bare node:http ceiling, a large upload/download
// against sha256sum + cp, and durability under SIGKILL; prints the tables that bench/RESULTS.md records.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, release, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { loadBenchConfig } from './config'
import { startChildServer, type ChildServer } from './lib/child-server'
import { ProcessMonitor } from './lib/process-monitor'
import { seed } from './lib/seed'
import { measurePhase, type PhaseResult } from './lib/measure'
import { ceilingSpec, createVersionSpec, frameworkFloorSpec, getVersionSpec, mlflowAliasSpec, mlflowCreateSpec, mlflowGetVersionSpec, mlflowSearchSpec, resolveAliasSpec, searchByTagSpec } from './lib/scenarios'
import { bigFilePhase } from './lib/big-file-phase'
import { killTest } from './lib/kill-test'
import { measureCreateFloor, snapshotDatabase } from './lib/create-floor'
import { bigFileTable, checkTargets, createFloorTable, invalidities, killTestText, loadTable, memoryTable, targetsTable, type BenchResults } from './lib/report'

// BENCH_SCALE=1: the scale bench (1k → 1M versions, SQLite and PostgreSQL) instead; the same as `npm run bench:scale`.
if (process.env.BENCH_SCALE) {
  await import('./scale/run')
  process.exit()
}

const config = loadBenchConfig()
const here = import.meta.dirname
const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`)
const workDir = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'canon-bench-'))
const dataDir = join(workDir, 'data')
const monitor = new ProcessMonitor(200)
const load = { connections: config.connections, durationSeconds: config.durationSeconds, warmupSeconds: config.warmupSeconds }
let canon: ChildServer | undefined
let ceiling: ChildServer | undefined

async function startCanon(options: { synchronous?: 'NORMAL' | 'FULL'; logLevel?: string } = {}): Promise<ChildServer> {
  const env = {
    CANON_DATA_DIR: dataDir,
    CANON_LOG_LEVEL: options.logLevel ?? config.serverLogLevel,
    CANON_LOG_FORMAT: 'json',
    CANON_SQLITE_SYNCHRONOUS: options.synchronous ?? 'NORMAL',
    CANON_ACTOR: 'bench',
  }
  // BENCH_SERVER_NODE_FLAGS: extra node flags for the server (e.g. --max-semi-space-size=8);
  // BENCH_CPU_PROF=<dir>: each server start writes a V8 CPU profile there when it stops gracefully
  const flags = [...config.serverNodeFlags, ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])]
  const server = await startChildServer(join(here, 'server-process.ts'), env, join(workDir, 'canon.log'), flags)
  monitor.watch(server.pid)
  return server
}

function sqliteVersion(): string {
  const db = new DatabaseSync(':memory:')
  const row = db.prepare('select sqlite_version() as v').get() as { v: string }
  db.close()
  return row.v
}

async function main(): Promise<number> {
  const machine = {
    cpus: `${availableParallelism()} × ${cpus()[0]?.model ?? 'unknown'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    sqlite: sqliteVersion(),
    kernel: release(),
  }
  log(`machine: ${JSON.stringify(machine)}; work dir ${workDir}`)
  canon = await startCanon()
  log(`canon at ${canon.url} (pid ${canon.pid}); seeding ${config.models} models × ${config.versionsPerModel} versions…`)

  monitor.beginPhase()
  const seeded = await seed(canon.url, config.models, config.versionsPerModel, config.seedConcurrency, (done) => {
    if (done % Math.max(1, Math.floor(config.models / 5)) === 0) log(`  seeded ${done}/${config.models} models`)
  })
  const seedResult = { ...seeded, maxRssMB: monitor.endPhase() }
  log(`seeded in ${seeded.seconds.toFixed(1)} s (${seeded.requests} requests, ${(seeded.requests / seeded.seconds).toFixed(0)} req/s)`)

  // The ceiling answers with the very bytes a resolve returns, so both move the same payload.
  const sample = await fetch(`${canon.url}/api/v1/resolve?uri=${encodeURIComponent('models:/m-0@champion')}`).then((r) => r.text())
  ceiling = await startChildServer(join(here, 'ceiling-process.ts'), { BENCH_CEILING_BODY: sample }, join(workDir, 'ceiling.log'))
  log(`ceiling: ${config.durationSeconds} s × ${config.connections} connections, body ${Buffer.byteLength(sample)} bytes`)
  const ceilingResult = await measurePhase(ceilingSpec(ceiling.url), { pid: ceiling.pid }, monitor, load)
  await ceiling.stop()
  ceiling = undefined

  log('reference: GET /healthz…')
  const floor = await measurePhase(frameworkFloorSpec(canon.url), canon, monitor, load)
  const reads: PhaseResult[] = []
  for (const spec of [
    resolveAliasSpec(canon.url, seeded),
    getVersionSpec(canon.url, seeded),
    searchByTagSpec(canon.url),
    mlflowAliasSpec(canon.url, seeded),
    mlflowGetVersionSpec(canon.url, seeded),
    mlflowSearchSpec(canon.url, seeded),
  ]) {
    log(`${spec.name}…`)
    reads.push(await measurePhase(spec, canon, monitor, load))
  }
  const creates: PhaseResult[] = []
  log('create version (synchronous=NORMAL)…')
  creates.push(await measurePhase(createVersionSpec(canon.url, seeded, 'create version (synchronous=NORMAL)'), canon, monitor, load))
  log('MLflow create version…')
  creates.push(await measurePhase(mlflowCreateSpec(canon.url, seeded), canon, monitor, load))
  if (config.measureFullSync) {
    await canon.stop()
    canon = await startCanon({ synchronous: 'FULL' })
    log('create version (synchronous=FULL)…')
    creates.push(await measurePhase(createVersionSpec(canon.url, seeded, 'create version (synchronous=FULL)'), canon, monitor, load))
    await canon.stop()
    canon = await startCanon()
  }
  const variants: PhaseResult[] = []
  if (config.measureInfoLogging && config.serverLogLevel !== 'info') {
    await canon.stop()
    canon = await startCanon({ logLevel: 'info' })
    log('resolve with CANON_LOG_LEVEL=info (one JSON line per request, to a file)…')
    variants.push(await measurePhase({ ...resolveAliasSpec(canon.url, seeded), name: 'resolve, CANON_LOG_LEVEL=info' }, canon, monitor, load))
    await canon.stop()
    canon = await startCanon()
  }

  // The floor under any create, on a copy of this run's database while the server is idle.
  log('create floor: the SQL of a create alone, on node:sqlite…')
  const snapshot = join(workDir, 'floor.db')
  snapshotDatabase(join(dataDir, 'canon.db'), snapshot)
  const createFloor = (['native', 'mlflow'] as const).flatMap((shape) => [1, config.connections].map((batch) => measureCreateFloor(snapshot, 3000, batch, shape)))
  await rm(snapshot, { force: true })

  const bigFile = config.blobMiB > 0 ? await bigFilePhase(canon.url, workDir, config.blobMiB, monitor, log) : undefined

  log(`kill test: creates for ${config.killAfterSeconds} s, then SIGKILL, restart, check…`)
  const running = canon
  const kill = await killTest(running.url, seeded, config.connections, config.killAfterSeconds, () => running.kill(), async () => {
    canon = await startCanon()
    return canon.url
  })
  await canon.stop()
  canon = undefined

  const results: BenchResults = {
    machine,
    settings: { ...load, models: config.models, versionsPerModel: config.versionsPerModel, serverLogLevel: config.serverLogLevel, serverNodeFlags: config.serverNodeFlags.join(' ') },
    seed: seedResult,
    ceiling: ceilingResult,
    floor,
    reads,
    creates,
    variants,
    ...(bigFile && { bigFile }),
    createFloor,
    kill,
    rss: monitor.overall,
  }
  printReport(results)
  if (process.env.BENCH_JSON) await writeFile(process.env.BENCH_JSON, JSON.stringify(results, null, 2))
  const problems = invalidities(results)
  if (problems.length > 0) {
    console.error(`\nINVALID RUN — every request must succeed:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    return 1
  }
  return 0
}

function printReport(r: BenchResults): void {
  const out: string[] = []
  out.push(`\n## Canon bench — ${new Date().toISOString()}\n`)
  out.push(Object.entries(r.machine).map(([k, v]) => `- ${k}: ${v}`).join('\n'))
  out.push(`- load: autocannon, ${r.settings.connections} connections, ${r.settings.durationSeconds} s measured after ${r.settings.warmupSeconds} s warm-up; server log level ${r.settings.serverLogLevel}; server node flags: ${r.settings.serverNodeFlags || '(none)'}\n`)
  out.push(`### Seed\n\n${r.seed.models} models × ${r.seed.versionsPerModel} versions over HTTP: ${r.seed.requests} requests in ${r.seed.seconds.toFixed(1)} s (${(r.seed.requests / r.seed.seconds).toFixed(0)} req/s); server max RSS ${r.seed.maxRssMB.toFixed(0)} MB\n`)
  out.push(`### Request load\n\n${loadTable(r.ceiling, [r.floor, ...r.reads, ...r.creates, ...r.variants])}\n`)
  out.push(`Server memory at the end of each phase (MB, from process.memoryUsage()):\n\n${memoryTable([r.floor, ...r.reads, ...r.creates, ...r.variants])}\n`)
  if (r.bigFile) out.push(`### Large file\n\n${bigFileTable(r.bigFile)}\n`)
  out.push(`### Create floor\n\nThe statements of one create run straight on node:sqlite (prepared, no HTTP, no Kysely), on a snapshot of this run's database; no server on this machine creates faster.\n\n${createFloorTable(r.createFloor)}\n`)
  out.push(`### Kill test (SIGKILL during creates, synchronous=NORMAL)\n\n${killTestText(r.kill)}\n`)
  out.push(`### Server memory\n\nmax RSS sampled every 200 ms over the whole run: ${r.rss.maxRssMB.toFixed(0)} MB (${r.rss.samples} samples); kernel peak VmHWM: ${r.rss.peakHwmMB.toFixed(0)} MB\n`)
  out.push(`### Targets\n\n${targetsTable(checkTargets(r))}\n`)
  console.log(out.join('\n'))
}

try {
  process.exitCode = await main()
} catch (error) {
  console.error('bench failed:', error)
  process.exitCode = 1
} finally {
  monitor.stop()
  await Promise.all([canon?.stop(), ceiling?.stop()])
  if (process.env.BENCH_KEEP) log(`kept ${workDir}`)
  else await rm(workDir, { recursive: true, force: true })
}
