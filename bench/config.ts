import { availableParallelism } from 'node:os'

/** Knobs of one bench run; each has an environment variable so a smoke run can shrink it. */
export interface BenchConfig {
  /** seconds each measured load runs */
  durationSeconds: number
  /** seconds of unmeasured load before each measured one, so the JIT and caches are warm */
  warmupSeconds: number
  connections: number
  models: number
  versionsPerModel: number
  seedConcurrency: number
  /** size of the file for the upload/download phase; 0 skips the phase */
  blobMiB: number
  /** seconds of creates before the server is killed in the durability test */
  killAfterSeconds: number
  /** CANON_LOG_LEVEL for the server under test */
  serverLogLevel: string
  /** also measure creates with CANON_SQLITE_SYNCHRONOUS=FULL */
  measureFullSync: boolean
  /** also measure resolve with CANON_LOG_LEVEL=info, to show what per-request logging costs */
  measureInfoLogging: boolean
  /** extra node flags for the server process, from BENCH_SERVER_NODE_FLAGS (space-separated) */
  serverNodeFlags: string[]
}

export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  return {
    durationSeconds: number(env.BENCH_DURATION, 10),
    warmupSeconds: number(env.BENCH_WARMUP, 2),
    connections: number(env.BENCH_CONNECTIONS, 10),
    models: number(env.BENCH_MODELS, 1000),
    versionsPerModel: number(env.BENCH_VERSIONS, 10),
    seedConcurrency: number(env.BENCH_SEED_CONCURRENCY, Math.max(4, availableParallelism() * 2)),
    blobMiB: number(env.BENCH_BLOB_MB, 2048),
    killAfterSeconds: number(env.BENCH_KILL_AFTER, 3),
    serverLogLevel: env.BENCH_LOG_LEVEL ?? 'warn',
    measureFullSync: env.BENCH_FULL_SYNC !== '0',
    measureInfoLogging: env.BENCH_INFO_LOG !== '0',
    // the same heap settings `npm start` uses; V8 otherwise sizes its heap for the machine's 24 GiB
    serverNodeFlags: (env.BENCH_SERVER_NODE_FLAGS ?? '--max-semi-space-size=16 --max-old-space-size=384').split(' ').filter(Boolean),
  }
}

function number(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new Error(`expected a non-negative number, got '${value}'`)
  return n
}
