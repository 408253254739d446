import { sql, type Kysely } from 'kysely'
import type { DialectTraits } from '../dialect-traits'

// Experiments, runs and proxied artifacts: what MLflow's tracking clients write, and the lineage of versions registered from runs.
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('experiments')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('artifact_location', 'text', (c) => c.notNull())
    .addColumn('lifecycle_stage', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('creation_time', 'bigint', (c) => c.notNull())
    .addColumn('last_update_time', 'bigint', (c) => c.notNull())
    .execute()
  // MLflow clients expect experiment "0", named Default, to exist.
  await sql`insert into experiments (id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) values (0, 'Default', 'mlflow-artifacts:/0', 'active', ${Date.now()}, ${Date.now()})`.execute(db)

  await db.schema
    .createTable('experiment_tags')
    .addColumn('experiment_id', traits.idType, (c) => c.notNull().references('experiments.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('experiment_tags_pk', ['experiment_id', 'key'])
    .execute()

  await db.schema
    .createTable('runs')
    .addColumn('run_id', 'text', (c) => c.primaryKey())
    .addColumn('experiment_id', traits.idType, (c) => c.notNull().references('experiments.id').onDelete('cascade'))
    .addColumn('run_name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('start_time', 'bigint', (c) => c.notNull())
    .addColumn('end_time', 'bigint')
    .addColumn('lifecycle_stage', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('artifact_uri', 'text', (c) => c.notNull())
    .addColumn('deleted_time', 'bigint')
    .execute()
  await db.schema.createIndex('runs_experiment_start').on('runs').columns(['experiment_id', 'start_time', 'run_id']).execute()

  for (const table of ['run_params', 'run_tags'] as const) {
    await db.schema
      .createTable(table)
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.run_id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['run_id', 'key'])
      .execute()
    await db.schema.createIndex(`${table}_key_value`).on(table).columns(['key', 'value', 'run_id']).execute()
  }

  await db.schema
    .createTable('run_metric_history')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.run_id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('is_nan', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('step', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('run_metric_history_run_key').on('run_metric_history').columns(['run_id', 'key', 'step', 'timestamp']).execute()

  await db.schema
    .createTable('run_latest_metrics')
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.run_id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('is_nan', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('step', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_latest_metrics_pk', ['run_id', 'key'])
    .execute()
  await db.schema.createIndex('run_latest_metrics_key_value').on('run_latest_metrics').columns(['key', 'value', 'run_id']).execute()

  await db.schema
    .createTable('datasets')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('experiment_id', traits.idType, (c) => c.notNull().references('experiments.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('schema', 'text')
    .addColumn('profile', 'text')
    .addUniqueConstraint('datasets_identity', ['experiment_id', 'name', 'digest'])
    .execute()

  await db.schema
    .createTable('run_inputs')
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.run_id').onDelete('cascade'))
    .addColumn('dataset_id', traits.idType, (c) => c.notNull().references('datasets.id').onDelete('cascade'))
    .addColumn('tags', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_inputs_pk', ['run_id', 'dataset_id'])
    .execute()

  // Proxied artifact paths (relative to mlflow-artifacts:/) → content-addressed blobs.
  await db.schema
    .createTable('artifact_files')
    .addColumn('path', 'text', (c) => c.primaryKey())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('artifact_files_digest').on('artifact_files').columns(['digest']).execute()

  await db.schema.alterTable('model_versions').addColumn('run_link', 'text').execute()
}
