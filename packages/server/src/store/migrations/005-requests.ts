import type { Kysely } from 'kysely'
import type { DialectTraits } from '../dialect-traits'

// Promotion policies (per model, or '*' for the global default), transition requests and their reviews.
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('policies')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('transition_requests')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('model_id', traits.idType, (c) => c.notNull().references('registered_models.id').onDelete('cascade'))
    .addColumn('version_id', traits.idType, (c) => c.notNull().references('model_versions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('required_approvals', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .addColumn('decided_by', 'text')
    .execute()
  await db.schema.createIndex('transition_requests_status').on('transition_requests').columns(['status', 'id']).execute()
  await db.schema.createIndex('transition_requests_model').on('transition_requests').columns(['model_id', 'status']).execute()

  await db.schema
    .createTable('request_reviews')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('request_id', traits.idType, (c) => c.notNull().references('transition_requests.id').onDelete('cascade'))
    .addColumn('reviewer', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    // one verdict per reviewer per request: the same approver never counts twice
    .addUniqueConstraint('request_reviews_unique', ['request_id', 'reviewer'])
    .execute()
}
