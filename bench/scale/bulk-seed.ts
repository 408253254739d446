import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { MetadataStore } from '../../packages/server/src/store/metadata-store'

// Seeding a million versions over HTTP would take hours at the create rate `npm run bench` measures, so the scale
// bench writes rows straight into the migrated schema with set-based INSERT … SELECT over a number series, in batches.

/** Versions per model: fixed, so the model page reads the same amount at every scale and only the totals grow. */
export const VERSIONS_PER_MODEL = 100
export const TEAMS = ['risk', 'growth', 'fraud', 'ops', 'search', 'ads', 'ml', 'core', 'data', 'infra'] as const
const BASE_TIME = 1_767_225_600_000
const DIGEST = `sha256:${'0'.repeat(64)}`

/** Model n is named scale-<1000000 + n>, a name both SQL dialects can build without padding functions. */
export const scaleModelName = (modelId: number) => `scale-${1_000_000 + modelId}`

/** A series of integers from..to as a CTE named seq(i), in each dialect's way. */
function series(dialect: 'sqlite' | 'postgres', from: number, to: number): RawBuilder<unknown> {
  return dialect === 'postgres'
    ? sql`with seq(i) as (select generate_series(${sql.lit(from)}::bigint, ${sql.lit(to)}::bigint))`
    : sql`with recursive seq(i) as (select ${sql.lit(from)} union all select i + 1 from seq where i < ${sql.lit(to)})`
}

/**
 * Adds versions with ids from+1..to (multiples of VERSIONS_PER_MODEL) and their models, tags, metrics, params, one
 * file each, and the champion/challenger aliases. Version i: model ceil(i/100), number ((i-1) % 100) + 1;
 * tags team (10 values, `risk` one in ten) and env; metrics val_auc (uniform in [0,1)) and loss; params max_depth, lr.
 */
export async function seedRange(store: MetadataStore, dialect: 'sqlite' | 'postgres', from: number, to: number): Promise<void> {
  const db = store.db as unknown as Kysely<unknown>
  const per = VERSIONS_PER_MODEL
  const firstModel = from / per + 1
  const lastModel = to / per
  const team = sql.raw(`case i % 10 ${TEAMS.map((t, n) => `when ${n} then '${t}'`).join(' ')} end`)
  await db.transaction().execute(async (tx) => {
    const run = (query: RawBuilder<unknown>) => query.execute(tx)
    await run(sql`${series(dialect, firstModel, lastModel)}
      insert into registered_models (id, name, description, created_at, updated_at, created_by, next_version)
      select i, 'scale-' || (1000000 + i), '', ${sql.lit(BASE_TIME)}, ${sql.lit(BASE_TIME)}, 'bench', ${sql.lit(per + 1)} from seq`)
    const version = sql.raw(`(((i - 1) % ${per}) + 1)`)
    await run(sql`${series(dialect, from + 1, to)}
      insert into model_versions (id, model_id, version, description, stage, source, run_id, file_count, total_size, created_at, updated_at, created_by, stage_updated_at, approval_status)
      select i, ((i - 1) / ${sql.lit(per)}) + 1, ${version}, '',
        case when ${version} = ${sql.lit(per)} then 'Production' when ${version} % 10 = 0 then 'Staging' when ${version} < 50 then 'Archived' else 'None' end,
        's3://bench/' || i, case when i % 2 = 0 then 'run-' || i end, 1, 1000,
        ${sql.lit(BASE_TIME)} + i * 1000, ${sql.lit(BASE_TIME)} + i * 1000, 'bench', ${sql.lit(BASE_TIME)} + i * 1000,
        case i % 3 when 0 then 'approved' when 1 then 'pending' else 'rejected' end
      from seq`)
    await run(sql`${series(dialect, from + 1, to)}
      insert into version_tags (version_id, key, value) select i, 'team', ${team} from seq
      union all select i, 'env', case when i % 2 = 0 then 'prod' else 'dev' end from seq`)
    await run(sql`${series(dialect, from + 1, to)}
      insert into version_metrics (version_id, key, value) select i, 'val_auc', ((i * 7919) % 10007) / 10007.0 from seq
      union all select i, 'loss', ((i * 104729) % 1000) / 1000.0 from seq`)
    await run(sql`${series(dialect, from + 1, to)}
      insert into version_params (version_id, key, value) select i, 'max_depth', '' || (i % 12) from seq
      union all select i, 'lr', '0.0' || ((i % 9) + 1) from seq`)
    await run(sql`${series(dialect, from + 1, to)}
      insert into version_files (version_id, path, digest, size) select i, 'model.bin', ${sql.lit(DIGEST)}, 1000 from seq`)
    await run(sql`${series(dialect, firstModel, lastModel)}
      insert into model_aliases (model_id, alias, version_id, updated_at) select i, 'champion', i * ${sql.lit(per)}, ${sql.lit(BASE_TIME)} from seq
      union all select i, 'challenger', i * ${sql.lit(per)} - 1, ${sql.lit(BASE_TIME)} from seq`)
  })
}

/** After bulk inserts: identity sequences past the seeded ids (PostgreSQL), fresh planner statistics (both). */
export async function finishSeeding(store: MetadataStore, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const db = store.db as unknown as Kysely<unknown>
  if (dialect === 'postgres') {
    for (const table of ['registered_models', 'model_versions']) {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(db)
    }
  }
  await sql`analyze`.execute(db)
}
