import type { Kysely } from 'kysely'
import type { DialectTraits } from '../dialect-traits'

// Users and service accounts, their API tokens (stored hashed) and role grants.
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'bigint')
    .execute()

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('user_id', traits.idType, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('hint', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .execute()
  await db.schema.createIndex('api_tokens_user').on('api_tokens').columns(['user_id']).execute()

  await db.schema
    .createTable('grants')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('user_id', traits.idType, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('grants_unique', ['user_id', 'role', 'scope'])
    .execute()
}
