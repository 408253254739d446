import { CompiledQuery, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseVersionFilter } from '../../src/domain/version-filter'
import type { MetadataStore } from '../../src/store/metadata-store'
import { FILTER_WINDOW } from '../../src/store/versions.repo'
import { backends, openTestStore, type BackendName } from '../support/backends'

// Enough rows, each predicate selective (about 1% or less), and fresh statistics: a planner that still walks a big
// table for one of these has no index to use. PostgreSQL also runs with enable_seqscan off, so a Seq Scan that
// remains is one no index could replace.
const MODELS = 100
const PER_MODEL = 100
const BASE = 1_767_225_600_000

/** Each predicate kind of the language, and the index that must serve it. */
const cases: { filter: string; index: RegExp }[] = [
  { filter: 'metrics.val_auc > 0.995', index: /version_metrics_key_value/ },
  { filter: "params.max_depth = '6'", index: /version_params_key_value/ },
  { filter: "tags.team = 'risk'", index: /version_tags_key_value/ },
  // PostgreSQL's default collation cannot range-scan a LIKE prefix; it finds the key through either index of the table.
  { filter: "tags.team LIKE 'ri%'", index: /version_tags_(key_value|pk)/ },
  { filter: "stage = 'Production'", index: /model_versions_stage/ },
  { filter: "approval = 'rejected'", index: /model_versions_approval/ },
  { filter: "alias = 'champion'", index: /model_aliases_alias_version/ },
  { filter: `created >= ${BASE + MODELS * PER_MODEL - 20}`, index: /model_versions_created/ },
  { filter: "run_id = 'run-77'", index: /model_versions_run/ },
  { filter: "model = 'm-7'", index: /registered_models/ },
  { filter: "dataset = 'dataset://events-7/1'", index: /version_datasets_dataset/ },
  { filter: "dataset.name = 'events-7'", index: /lineage_datasets_name/ },
  { filter: "dataset.digest = 'sha256:7'", index: /lineage_datasets_digest/ },
  // Few datasets: SQLite may walk them (an index of a small table) and probe each one's versions instead.
  { filter: "dataset.role = 'validation'", index: /version_datasets_(role|pk|dataset)|sqlite_autoindex_version_datasets/ },
  { filter: "tags.team = 'risk' AND metrics.val_auc > 0.5", index: /version_tags_key_value/ },
  { filter: "tags.team = 'risk' OR metrics.val_auc > 0.995", index: /version_metrics_key_value/ },
  // 99% of versions: a set too big to hash in the test's work_mem, as sets are at a million versions.
  { filter: "tags.team = 'other' OR metrics.val_auc > 0.995", index: /version_tags_/ },
  { filter: "metrics.val_auc > 0.995 AND (tags.team = 'risk' OR params.max_depth = '6')", index: /version_metrics_key_value/ },
]

const BIG_TABLES = ['model_versions', 'version_metrics', 'version_params', 'version_tags', 'model_aliases', 'version_datasets']

async function seed(store: MetadataStore): Promise<void> {
  const db = store.db
  const holdoutUsers: number[] = []
  for (let m = 1; m <= MODELS; m++) {
    const { id: modelId } = await db
      .insertInto('registered_models')
      .values({ name: `m-${m}`, description: '', created_at: BASE, updated_at: BASE, created_by: 't', next_version: PER_MODEL + 1 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const versions = Array.from({ length: PER_MODEL }, (_, k) => {
      const i = (m - 1) * PER_MODEL + k + 1
      return {
        model_id: modelId,
        version: k + 1,
        description: '',
        stage: k + 1 === PER_MODEL ? 'Production' : 'None',
        source: null,
        run_id: `run-${i}`,
        file_count: 0,
        total_size: 0,
        created_at: BASE + i,
        updated_at: BASE + i,
        created_by: 't',
        stage_updated_at: BASE + i,
        approval_status: i % 100 === 0 ? 'rejected' : 'pending',
      }
    })
    const ids = (await db.insertInto('model_versions').values(versions).returning('id').execute()).map((r) => Number(r.id))
    const n = (id: number) => ids.indexOf(id) + (m - 1) * PER_MODEL + 1
    await db.insertInto('version_tags').values(ids.map((id) => ({ version_id: id, key: 'team', value: n(id) % 100 === 0 ? 'risk' : 'other' }))).execute()
    await db.insertInto('version_params').values(ids.map((id) => ({ version_id: id, key: 'max_depth', value: n(id) % 100 === 1 ? '6' : '3' }))).execute()
    await db.insertInto('version_metrics').values(ids.map((id) => ({ version_id: id, key: 'val_auc', value: n(id) / (MODELS * PER_MODEL) }))).execute()
    await db.insertInto('model_aliases').values({ model_id: modelId, alias: 'champion', version_id: ids.at(-1)!, updated_at: BASE }).execute()
    // Every version trained on its model's dataset; the model's first version also validated on a shared holdout.
    const { id: datasetId } = await db
      .insertInto('lineage_datasets')
      .values({ uri: `dataset://events-${m}/1`, digest: `sha256:${m}`, name: `events-${m}`, created_at: BASE })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('version_datasets').values(ids.map((id) => ({ version_id: id, dataset_id: datasetId, role: 'training' }))).execute()
    holdoutUsers.push(ids[0]!)
  }
  const { id: holdout } = await db.insertInto('lineage_datasets').values({ uri: 's3://b/holdout', digest: 'sha256:h', name: 'holdout', created_at: BASE }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('version_datasets').values(holdoutUsers.map((id) => ({ version_id: id, dataset_id: holdout, role: 'validation' }))).execute()
  await sql`analyze`.execute(db)
}

async function plan(store: MetadataStore, backend: BackendName, filter: string, window?: number): Promise<string[]> {
  const query = store.versions.searchQuery({ tags: [], order: 'desc', limit: 101, filter: parseVersionFilter(filter) }, { window }).compile()
  if (backend === 'sqlite') {
    const result = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]))
    return result.rows.map((r) => r.detail)
  }
  return store.db.transaction().execute(async (tx) => {
    await sql`set local enable_seqscan = off`.execute(tx)
    // As if the matching sets outgrew memory (as they do at a million versions): no plan may rely on hashing them.
    await sql`set local work_mem = '64kB'`.execute(tx)
    const result = await tx.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]))
    const nodes: string[] = []
    const walk = (node: Record<string, unknown>) => {
      nodes.push([node['Node Type'], node['Relation Name'] ?? '', node['Index Name'] ?? ''].join(' ').trim())
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child)
    }
    walk((result.rows[0]!['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0]!.Plan)
    return nodes
  })
}

/** A step that reads a big table row by row instead of through an index. */
function fullScans(backend: BackendName, steps: string[]): string[] {
  if (backend === 'sqlite') return steps.filter((s) => /^SCAN /.test(s) && !/USING (COVERING )?INDEX/.test(s))
  // A Materialize re-read for every outer row is a full scan too (PostgreSQL's IN under OR/NOT past work_mem).
  return steps.filter((s) => (s.startsWith('Seq Scan') && BIG_TABLES.some((t) => s.includes(` ${t}`))) || s.startsWith('Materialize'))
}

for (const backend of backends) {
  describe(`${backend}: every search-language predicate is served by an index`, () => {
    let store: MetadataStore
    let cleanup: () => Promise<void>

    beforeAll(async () => {
      ;({ store, cleanup } = await openTestStore(backend))
      await seed(store)
    }, 120_000)
    afterAll(async () => cleanup?.())

    for (const { filter, index } of cases) {
      it(`${filter} uses ${index.source} and reads no big table in full`, async () => {
        const steps = await plan(store, backend, filter)
        expect(fullScans(backend, steps), steps.join('\n')).toEqual([])
        expect(steps.join('\n'), steps.join('\n')).toMatch(index)
      })
    }

    it.each(["NOT tags.team = 'risk'", "NOT tags.team = 'other'", "NOT (tags.team = 'risk' OR metrics.val_auc > 0.995)", 'alias IS NULL', 'metrics.val_auc IS NULL'])(
      '%s reads the excluded set through an index (the page itself walks versions in id order)',
      async (filter) => {
        const steps = await plan(store, backend, filter)
        expect(steps.join('\n')).toMatch(/version_tags_|version_metrics_|model_aliases_/)
        const bigTableScans = steps.filter((s) => BIG_TABLES.filter((t) => t !== 'model_versions').some((t) => s.includes(t)) && /^(SCAN|Seq Scan)/.test(s) && !/INDEX/.test(s))
        expect(bigTableScans, steps.join('\n')).toEqual([])
        expect(steps.filter((s) => s.startsWith('Materialize')), steps.join('\n')).toEqual([])
      },
    )

    if (backend === 'sqlite') {
      // SQLite first tests the next FILTER_WINDOW versions in page order row by row; only the edge lookup walks.
      it.each(cases.map((c) => c.filter))('%s over the first window reads versions through an index and probes each through an index', async (filter) => {
        const steps = await plan(store, backend, filter, FILTER_WINDOW)
        expect(steps.join('\n')).toMatch(/^SEARCH v USING /m)
        expect(steps.filter((s) => /^SCAN /.test(s) && s !== 'SCAN w'), steps.join('\n')).toEqual([])
      })
    }

    it('a window pass returns exactly the matches among the versions it covers, a prefix of the full result', async () => {
      const filters = [...cases.map((c) => c.filter), "NOT tags.team = 'risk'", 'alias IS NULL', "NOT (tags.team = 'other' AND metrics.val_auc < 0.5)"]
      for (const filter of filters) {
        for (const order of ['desc', 'asc'] as const) {
          const search = { tags: [], order, limit: MODELS * PER_MODEL, filter: parseVersionFilter(filter), afterId: order === 'desc' ? MODELS * PER_MODEL - 7 : 7 }
          const full = (await store.versions.searchQuery(search).execute()).map((r) => Number(r.id))
          for (const window of [50, 700, MODELS * PER_MODEL]) {
            const part = (await store.versions.searchQuery(search, { window }).execute()).map((r) => Number(r.id))
            expect(part, `${filter} ${order} window ${window}`).toEqual(full.slice(0, part.length))
            const covered = full.filter((id) => (order === 'desc' ? id > search.afterId - 1 - window : id < search.afterId + 1 + window))
            expect(part.length, `${filter} ${order} window ${window}`).toBe(covered.length)
          }
        }
      }
    })

    it('the plan is the query the search runs: results match the filter', async () => {
      const rows = await store.versions.search({ tags: [], order: 'desc', limit: 1000, filter: parseVersionFilter("tags.team = 'risk' AND metrics.val_auc > 0.5") })
      expect(rows.length).toBe(MODELS / 2)
    })
  })
}
