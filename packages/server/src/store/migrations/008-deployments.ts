import type { Kysely } from 'kysely'
import type { DialectTraits } from '../dialect-traits'

// Deployments: a named endpoint in an environment routing traffic over versions of one model, and every change to it.
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('deployments')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('model_id', traits.idType, (c) => c.notNull().references('registered_models.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('deployments_model').on('deployments').columns(['model_id', 'name']).execute()
  await db.schema.createIndex('deployments_environment').on('deployments').columns(['environment', 'name']).execute()

  // the current split; a version with a row here receives traffic and cannot be deleted
  await db.schema
    .createTable('deployment_targets')
    .addColumn('deployment_id', traits.idType, (c) => c.notNull().references('deployments.id').onDelete('cascade'))
    .addColumn('version_id', traits.idType, (c) => c.notNull().references('model_versions.id'))
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('deployment_targets_pk', ['deployment_id', 'version_id'])
    .execute()
  await db.schema.createIndex('deployment_targets_version').on('deployment_targets').columns(['version_id']).execute()

  await db.schema
    .createTable('deployment_history')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('deployment_name', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('model_name', 'text', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('split', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('deployment_history_name').on('deployment_history').columns(['deployment_name', 'id']).execute()
}
