import type { ColumnDefinitionBuilder } from 'kysely'

export type DialectName = 'sqlite' | 'postgres'

/** What differs between the two databases, said once, so queries and migrations carry no `if (sqlite)` branches. */
export interface DialectTraits {
  readonly name: DialectName
  /** SELECT … FOR UPDATE exists; SQLite serialises writers instead */
  readonly rowLocks: boolean
  readonly idType: 'integer' | 'bigint'
  identity(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder
}

export const sqliteTraits: DialectTraits = {
  name: 'sqlite',
  rowLocks: false,
  idType: 'integer',
  identity: (c) => c.primaryKey().autoIncrement(),
}

export const postgresTraits: DialectTraits = {
  name: 'postgres',
  rowLocks: true,
  idType: 'bigint',
  identity: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
}
