import type { Kysely } from 'kysely'

// The version search language looks versions up by alias, approval status, dataset digest and dataset role across
// models; every other condition it offers already has its index (key/value/version_id, stage, created_at, run_id,
// model name, dataset uri and name).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('model_aliases_alias_version').on('model_aliases').columns(['alias', 'version_id']).execute()
  await db.schema.createIndex('model_versions_approval').on('model_versions').columns(['approval_status', 'id']).execute()
  await db.schema.createIndex('lineage_datasets_digest').on('lineage_datasets').columns(['digest']).execute()
  await db.schema.createIndex('version_datasets_role').on('version_datasets').columns(['role', 'version_id', 'dataset_id']).execute()
}
