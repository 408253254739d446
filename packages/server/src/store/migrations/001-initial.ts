import type { Kysely } from 'kysely'
import type { DialectTraits } from '../dialect-traits'

export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('registered_models')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('next_version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('registered_models_created').on('registered_models').columns(['created_at', 'id']).execute()
  await db.schema.createIndex('registered_models_updated').on('registered_models').columns(['updated_at', 'id']).execute()

  await db.schema
    .createTable('model_tags')
    .addColumn('model_id', traits.idType, (c) => c.notNull().references('registered_models.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_tags_pk', ['model_id', 'key'])
    .execute()
  await db.schema.createIndex('model_tags_key_value').on('model_tags').columns(['key', 'value']).execute()

  await db.schema
    .createTable('model_versions')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('model_id', traits.idType, (c) => c.notNull().references('registered_models.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('stage', 'text', (c) => c.notNull().defaultTo('None'))
    .addColumn('source', 'text')
    .addColumn('run_id', 'text')
    .addColumn('file_count', 'integer', (c) => c.notNull())
    .addColumn('total_size', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('stage_updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('model_versions_model_version', ['model_id', 'version'])
    .execute()
  await db.schema.createIndex('model_versions_model_stage').on('model_versions').columns(['model_id', 'stage', 'version']).execute()
  await db.schema.createIndex('model_versions_stage').on('model_versions').columns(['stage', 'id']).execute()
  await db.schema.createIndex('model_versions_run').on('model_versions').columns(['run_id']).execute()
  await db.schema.createIndex('model_versions_created').on('model_versions').columns(['created_at', 'id']).execute()

  for (const table of ['version_tags', 'version_params'] as const) {
    await db.schema
      .createTable(table)
      .addColumn('version_id', traits.idType, (c) => c.notNull().references('model_versions.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['version_id', 'key'])
      .execute()
    await db.schema.createIndex(`${table}_key_value`).on(table).columns(['key', 'value', 'version_id']).execute()
  }

  await db.schema
    .createTable('version_metrics')
    .addColumn('version_id', traits.idType, (c) => c.notNull().references('model_versions.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('version_metrics_pk', ['version_id', 'key'])
    .execute()
  await db.schema.createIndex('version_metrics_key_value').on('version_metrics').columns(['key', 'value', 'version_id']).execute()

  await db.schema
    .createTable('version_files')
    .addColumn('version_id', traits.idType, (c) => c.notNull().references('model_versions.id').onDelete('cascade'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('version_files_pk', ['version_id', 'path'])
    .execute()
  await db.schema.createIndex('version_files_digest').on('version_files').columns(['digest']).execute()

  await db.schema
    .createTable('model_aliases')
    .addColumn('model_id', traits.idType, (c) => c.notNull().references('registered_models.id').onDelete('cascade'))
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('version_id', traits.idType, (c) => c.notNull().references('model_versions.id').onDelete('cascade'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_aliases_pk', ['model_id', 'alias'])
    .execute()
  await db.schema.createIndex('model_aliases_version').on('model_aliases').columns(['version_id']).execute()

  await db.schema
    .createTable('stage_transitions')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('version_id', traits.idType, (c) => c.notNull().references('model_versions.id').onDelete('cascade'))
    .addColumn('from_stage', 'text', (c) => c.notNull())
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('stage_transitions_version').on('stage_transitions').columns(['version_id', 'id']).execute()

  // No foreign keys: the audit trail outlives what it describes.
  await db.schema
    .createTable('audit_events')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('reason', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('audit_events_target').on('audit_events').columns(['target', 'seq']).execute()

  await db.schema
    .createTable('audit_head')
    .addColumn('chain', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute()
  await db.insertInto('audit_head' as never).values({ chain: 'main', seq: 0, hash: 'genesis' } as never).execute()
}
