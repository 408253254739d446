import type { Kysely } from 'kysely'
import type { DialectTraits } from '../dialect-traits'

// Lineage: one dataset table (a dataset is one node however many versions consumed it), the datasets each version
// consumed, and each version's code, environment and parent.
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('lineage_datasets')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('uri', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('lineage_datasets_uri_digest', ['uri', 'digest'])
    .execute()
  await db.schema.createIndex('lineage_datasets_name').on('lineage_datasets').columns(['name', 'digest']).execute()

  await db.schema
    .createTable('version_datasets')
    .addColumn('version_id', traits.idType, (c) => c.notNull().references('model_versions.id').onDelete('cascade'))
    .addColumn('dataset_id', traits.idType, (c) => c.notNull().references('lineage_datasets.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('version_datasets_pk', ['version_id', 'dataset_id', 'role'])
    .execute()
  // "which versions were trained on dataset X" walks this index
  await db.schema.createIndex('version_datasets_dataset').on('version_datasets').columns(['dataset_id', 'version_id']).execute()

  await db.schema
    .createTable('version_lineage')
    .addColumn('version_id', traits.idType, (c) => c.primaryKey().references('model_versions.id').onDelete('cascade'))
    .addColumn('code_repository', 'text')
    .addColumn('code_commit', 'text')
    .addColumn('code_branch', 'text')
    .addColumn('code_dirty', 'integer')
    .addColumn('code_entry_point', 'text')
    .addColumn('env_image', 'text')
    .addColumn('env_runtime', 'text')
    .addColumn('env_packages', 'text')
    // the parent by model id and number, not row id: a deleted parent still names what it was
    .addColumn('parent_model_id', traits.idType)
    .addColumn('parent_version', 'integer')
    .execute()
  await db.schema.createIndex('version_lineage_parent').on('version_lineage').columns(['parent_model_id', 'parent_version']).execute()
  await db.schema.createIndex('version_lineage_commit').on('version_lineage').columns(['code_commit']).execute()
}
