import type { DatabaseSync, StatementSync } from 'node:sqlite'
import type { CompiledQuery, QueryResult } from 'kysely'

/** A connection with its prepared statements cached per SQL text. */
export class Statements {
  readonly #cache = new Map<string, { statement: StatementSync; returnsRows: boolean }>()

  constructor(readonly db: DatabaseSync) {}

  prepare(sql: string): StatementSync {
    return this.#entry(sql).statement
  }

  execute<R>(query: CompiledQuery): QueryResult<R> {
    const { statement, returnsRows } = this.#entry(query.sql)
    const parameters = bind(query.parameters)
    if (returnsRows) return { rows: statement.all(...parameters) as R[] }
    const { changes, lastInsertRowid } = statement.run(...parameters)
    return { insertId: BigInt(lastInsertRowid), numAffectedRows: BigInt(changes), rows: [] }
  }

  close(): void {
    this.#cache.clear()
    if (this.db.isOpen) this.db.close()
  }

  #entry(sql: string): { statement: StatementSync; returnsRows: boolean } {
    let entry = this.#cache.get(sql)
    if (!entry) {
      const statement = this.db.prepare(sql)
      entry = { statement, returnsRows: statement.columns().length > 0 }
      if (this.#cache.size > 2000) this.#cache.clear()
      this.#cache.set(sql, entry)
    }
    return entry
  }
}

type Bindable = null | number | bigint | string | Uint8Array

// node:sqlite binds only these types; Kysely may hand it booleans and undefined.
export function bind(parameters: ReadonlyArray<unknown>): Bindable[] {
  return parameters.map((p) => {
    if (p === undefined) return null
    if (typeof p === 'boolean') return p ? 1 : 0
    return p as Bindable
  })
}
