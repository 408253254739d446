import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely'

export interface SqliteOptions {
  /** path to the database file, or ':memory:' */
  file: string
  /** 'NORMAL' survives a killed process (WAL); 'FULL' also survives power loss */
  synchronous: 'NORMAL' | 'FULL'
}

/** Kysely's SqliteDialect over the built-in node:sqlite, with prepared statements cached per SQL text. */
export function createSqliteDialect(options: SqliteOptions): { dialect: SqliteDialect; raw: DatabaseSync; changeToken: () => string } {
  const raw = new DatabaseSync(options.file)
  raw.exec('PRAGMA journal_mode = WAL')
  raw.exec(`PRAGMA synchronous = ${options.synchronous}`)
  raw.exec('PRAGMA foreign_keys = ON')
  raw.exec('PRAGMA busy_timeout = 5000')
  raw.exec('PRAGMA cache_size = -16384') // 16 MiB: the OS page cache holds the rest, outside the process's RSS
  raw.exec('PRAGMA temp_store = MEMORY')
  // MLflow filters use LIKE case-sensitively (as PostgreSQL does) and ILIKE for the insensitive match.
  raw.exec('PRAGMA case_sensitive_like = ON')
  const writes = { count: 0 }
  // data_version moves when another connection commits; our own writes are counted as they run
  const dataVersion = raw.prepare('PRAGMA data_version')
  const changeToken = () => `${writes.count}:${(dataVersion.get() as { data_version: number }).data_version}`
  return { dialect: new SqliteDialect({ database: new NodeSqliteDatabase(raw, writes) }), raw, changeToken }
}

// statements that cannot change data: a transaction that only reads leaves the read cache alone
const READS_ONLY = /^\s*(select|begin|commit|end|rollback|savepoint|release)\b/i

class NodeSqliteDatabase implements SqliteDatabase {
  readonly #cache = new Map<string, NodeSqliteStatement>()

  constructor(
    private readonly db: DatabaseSync,
    private readonly writes: { count: number },
  ) {}

  prepare(sql: string): SqliteStatement {
    let statement = this.#cache.get(sql)
    if (!statement) {
      statement = new NodeSqliteStatement(this.db.prepare(sql), READS_ONLY.test(sql) ? undefined : this.writes)
      if (this.#cache.size > 2000) this.#cache.clear()
      this.#cache.set(sql, statement)
    }
    return statement
  }

  close(): void {
    this.#cache.clear()
    if (this.db.isOpen) this.db.close()
  }
}

class NodeSqliteStatement implements SqliteStatement {
  readonly reader: boolean

  constructor(
    private readonly statement: StatementSync,
    /** every statement that may change data counts as a change, whether or not its transaction commits */
    private readonly writes: { count: number } | undefined,
  ) {
    this.reader = statement.columns().length > 0
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    if (this.writes) this.writes.count++
    return this.statement.all(...bind(parameters))
  }

  run(parameters: ReadonlyArray<unknown>) {
    if (this.writes) this.writes.count++
    return this.statement.run(...bind(parameters))
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    if (this.writes) this.writes.count++
    return this.statement.iterate(...bind(parameters))
  }
}

type Bindable = null | number | bigint | string | Uint8Array

// node:sqlite binds only these types; Kysely may hand it booleans and undefined.
function bind(parameters: ReadonlyArray<unknown>): Bindable[] {
  return parameters.map((p) => {
    if (p === undefined) return null
    if (typeof p === 'boolean') return p ? 1 : 0
    return p as Bindable
  })
}
