import type { Kysely } from 'kysely'
import type { DialectTraits } from '../dialect-traits'

// Named cron schedules that fire a webhook with a fixed payload, and the history of their fires.
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('schedules')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id'))
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('next_fire_at', 'bigint')
    .addColumn('last_fired_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('schedules_due').on('schedules').columns(['status', 'next_fire_at']).execute()

  await db.schema
    .createTable('schedule_fires')
    .addColumn('id', traits.idType, (c) => traits.identity(c))
    .addColumn('schedule_id', traits.idType, (c) => c.notNull().references('schedules.id').onDelete('cascade'))
    .addColumn('tick_at', 'bigint', (c) => c.notNull())
    .addColumn('fired_at', 'bigint', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    // a tick fires once, however many instances see it due
    .addUniqueConstraint('schedule_fires_unique', ['schedule_id', 'tick_at'])
    .execute()
}
