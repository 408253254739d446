import type { ColumnDefinitionBuilder } from 'kysely'

export type DialectName = 'sqlite' | 'postgres'

/** What differs between the two databases, said once, so queries and migrations carry no `if (sqlite)` branches. */
export interface DialectTraits {
  readonly name: DialectName
  /** SELECT … FOR UPDATE exists; SQLite serialises writers instead */
  readonly rowLocks: boolean
  /** claim rows with FOR UPDATE SKIP LOCKED, so instances sharing the database take disjoint work; SQLite has one writer */
  readonly skipLocked: boolean
  readonly idType: 'integer' | 'bigint'
  identity(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder
}

export const sqliteTraits: DialectTraits = {
  name: 'sqlite',
  rowLocks: false,
  skipLocked: false,
  idType: 'integer',
  identity: (c) => c.primaryKey().autoIncrement(),
}

export const postgresTraits: DialectTraits = {
  name: 'postgres',
  rowLocks: true,
  skipLocked: true,
  idType: 'bigint',
  identity: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
}
