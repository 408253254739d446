// Development aid: profiles the server under one kind of load (PROF_SPEC=create|mlflow|resolve; PROF_DB_URL for PostgreSQL).
// Usage: node --import tsx bench/profile-creates.ts [outDir]; prints req/s and writes a .cpuprofile into outDir.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChildServer } from './lib/child-server'
import { seed } from './lib/seed'
import { runLoad } from './lib/load'
import { createVersionSpec, mlflowCreateSpec, resolveAliasSpec } from './lib/scenarios'

const here = import.meta.dirname
const outDir = process.argv[2] ?? (await mkdtemp(join(tmpdir(), 'canon-prof-')))
const workDir = await mkdtemp(join(tmpdir(), 'canon-prof-data-'))
const profile = process.env.BENCH_PROFILE !== '0'
const flags = ['--max-semi-space-size=16', '--max-old-space-size=384', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${outDir}`] : [])]
const server = await startChildServer(join(here, 'server-process.ts'), { CANON_DATA_DIR: join(workDir, 'data'), CANON_LOG_LEVEL: 'warn', CANON_LOG_FORMAT: 'json', CANON_SQLITE_SYNCHRONOUS: 'NORMAL', CANON_ACTOR: 'bench', CANON_READ_CACHE_MB: process.env.PROF_READ_CACHE_MB ?? '32', ...(process.env.PROF_DB_URL && { CANON_DATABASE_URL: process.env.PROF_DB_URL }) }, join(workDir, 'canon.log'), flags)
const seeded = await seed(server.url, Number(process.env.PROF_MODELS ?? 200), 2, 8)
const specs = { create: () => createVersionSpec(server.url, seeded), mlflow: () => mlflowCreateSpec(server.url, seeded), resolve: () => resolveAliasSpec(server.url, seeded) }
const spec = specs[(process.env.PROF_SPEC ?? 'create') as keyof typeof specs]()
await runLoad(spec, Number(process.env.PROF_CONNECTIONS ?? 10), 2)
const result = await runLoad(spec, Number(process.env.PROF_CONNECTIONS ?? 10), Number(process.env.PROF_SECONDS ?? 8))
console.log(`${spec.name}: ${result.reqPerSec.toFixed(0)} req/s p50 ${result.p50Ms} p99 ${result.p99Ms} non2xx ${result.non2xx}`)
await server.stop()
console.log(`profile in ${outDir}`)
