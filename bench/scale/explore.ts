import { CompiledQuery } from 'kysely'
import { openMetadataStore } from '../../packages/server/src/store/metadata-store'
import { parseVersionFilter } from '../../packages/server/src/domain/version-filter'
import { seedRange, finishSeeding } from './bulk-seed'
const kind = process.argv[2] as 'sqlite' | 'postgres'
const n = Number(process.argv[3])
const store = kind === 'sqlite' ? openMetadataStore({ kind: 'sqlite', file: process.argv[4]! }) : openMetadataStore({ kind: 'postgres', url: process.argv[4]! })
await store.migrate()
const t0 = Date.now()
if (n > 0) { for (let from = 0; from < n; from += 100_000) await seedRange(store, kind, from, Math.min(n, from + 100_000)); await finishSeeding(store, kind) }
console.log('seeded', Date.now() - t0)
for (const f of process.argv.slice(5)) {
  const q = store.versions.searchQuery({ tags: [], order: 'desc', limit: 101, filter: parseVersionFilter(f) }).compile()
  const plan = await store.db.executeQuery(CompiledQuery.raw((kind === 'sqlite' ? 'EXPLAIN QUERY PLAN ' : 'EXPLAIN ') + q.sql, [...q.parameters]))
  console.log(f, '\n', q.sql, '\n', plan.rows.map((r: any) => r.detail ?? r['QUERY PLAN']).join('\n '))
  const t = Date.now(); const rows = await store.db.executeQuery(q); console.log(' rows', rows.rows.length, Date.now() - t, 'ms')
}
await store.close()
