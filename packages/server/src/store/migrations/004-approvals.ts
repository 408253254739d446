import type { Kysely } from 'kysely'

// Approval status on every version: pending when created, then approved or rejected by an approver, with who, when and why.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('model_versions').addColumn('approval_status', 'text', (c) => c.notNull().defaultTo('pending')).execute()
  await db.schema.alterTable('model_versions').addColumn('approval_by', 'text').execute()
  await db.schema.alterTable('model_versions').addColumn('approval_at', 'bigint').execute()
  await db.schema.alterTable('model_versions').addColumn('approval_comment', 'text').execute()
  await db.schema.createIndex('model_versions_model_approval').on('model_versions').columns(['model_id', 'approval_status', 'version']).execute()
  // The audit trail is read by actor and by time as well as by target.
  await db.schema.createIndex('audit_events_actor').on('audit_events').columns(['actor', 'seq']).execute()
  await db.schema.createIndex('audit_events_at').on('audit_events').columns(['at', 'seq']).execute()
}
