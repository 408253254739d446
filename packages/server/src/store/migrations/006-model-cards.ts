import type { Kysely } from 'kysely'
import type { DialectTraits } from '../dialect-traits'

// Model cards: one per registered model and one per version, same columns; a card goes when its model or version does.
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const owners = [
    ['model_cards', 'model_id', 'registered_models.id'],
    ['version_cards', 'version_id', 'model_versions.id'],
  ] as const
  for (const [table, key, references] of owners) {
    await db.schema
      .createTable(table)
      .addColumn(key, traits.idType, (c) => c.primaryKey().references(references).onDelete('cascade'))
      .addColumn('intended_use', 'text', (c) => c.notNull())
      .addColumn('out_of_scope_uses', 'text', (c) => c.notNull())
      .addColumn('training_data', 'text', (c) => c.notNull())
      .addColumn('evaluation_results', 'text', (c) => c.notNull())
      .addColumn('limitations_and_biases', 'text', (c) => c.notNull())
      .addColumn('ethical_considerations', 'text', (c) => c.notNull())
      .addColumn('owners', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute()
  }
}
