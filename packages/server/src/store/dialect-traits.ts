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
  /**
   * How a search asks "has a related row like this" (a tag, a metric, an alias). SQLite drives a query from an index
   * only through `id IN (subquery)`; PostgreSQL turns a correlated EXISTS into a (anti-)semi-join or a per-row index
   * probe, where `IN` under OR/NOT becomes a hashed subplan that falls back to a linear re-scan past work_mem.
   */
  readonly relatedRows: 'in-subquery' | 'exists'
}

export const sqliteTraits: DialectTraits = {
  name: 'sqlite',
  rowLocks: false,
  skipLocked: false,
  idType: 'integer',
  identity: (c) => c.primaryKey().autoIncrement(),
  relatedRows: 'in-subquery',
}

export const postgresTraits: DialectTraits = {
  name: 'postgres',
  rowLocks: true,
  skipLocked: true,
  idType: 'bigint',
  identity: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
  relatedRows: 'exists',
}
