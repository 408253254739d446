import { DatabaseSync } from 'node:sqlite'
import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely'
import { startCheckpointer } from './sqlite-checkpointer'
import { GroupCommit, type Unit } from './sqlite-group-commit'
import { bind, Statements } from './sqlite-statements'

export interface SqliteOptions {
  /** path to the database file */
  file: string
  /** 'NORMAL' survives a killed process (WAL); 'FULL' also survives power loss */
  synchronous: 'NORMAL' | 'FULL'
}

/**
 * Kysely over the built-in node:sqlite with two connections to one WAL database: reads outside a transaction go to a
 * read-only connection, which sees committed data only; every write goes through group commit on the other.
 */
export function createSqliteDialect(options: SqliteOptions): { dialect: Dialect; changeToken: () => string } {
  const writer = open(options.file)
  writer.exec('PRAGMA journal_mode = WAL')
  writer.exec(`PRAGMA synchronous = ${options.synchronous}`)
  writer.exec('PRAGMA foreign_keys = ON')
  // checkpoints run on their own thread; the writer checkpoints itself only if that thread falls far behind (40 MB of WAL)
  writer.exec('PRAGMA wal_autocheckpoint = 10000')
  const checkpointer = startCheckpointer(options.file)
  const reader = open(options.file)
  reader.exec('PRAGMA query_only = ON') // a write sent here by mistake fails loudly instead of dodging group commit
  // data_version moves whenever another connection commits, the write connection included
  const dataVersion = reader.prepare('PRAGMA data_version')
  const changeToken = () => String((dataVersion.get() as { data_version: number }).data_version)
  return { dialect: new GroupCommitSqliteDialect(new Statements(writer), new Statements(reader), () => checkpointer.stop()), changeToken }
}

function open(file: string): DatabaseSync {
  const db = new DatabaseSync(file)
  db.exec('PRAGMA busy_timeout = 5000')
  db.exec('PRAGMA cache_size = -16384') // 16 MiB: the OS page cache holds the rest, outside the process's RSS
  db.exec('PRAGMA temp_store = MEMORY')
  // MLflow filters use LIKE case-sensitively (as PostgreSQL does) and ILIKE for the insensitive match.
  db.exec('PRAGMA case_sensitive_like = ON')
  return db
}

class GroupCommitSqliteDialect implements Dialect {
  constructor(
    private readonly writer: Statements,
    private readonly reader: Statements,
    private readonly beforeClose: () => Promise<void>,
  ) {}

  createDriver(): Driver {
    return new GroupCommitDriver(this.writer, this.reader, this.beforeClose)
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler()
  }

  createAdapter(): DialectAdapter {
    return new TwoConnectionSqliteAdapter()
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db)
  }
}

/** Kysely must not serialise every query behind one mutex: the driver orders writes itself and reads never wait. */
class TwoConnectionSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true
  }
}

class GroupCommitDriver implements Driver {
  readonly #commits: GroupCommit

  constructor(
    private readonly writer: Statements,
    private readonly reader: Statements,
    private readonly beforeClose: () => Promise<void>,
  ) {
    this.#commits = new GroupCommit(writer.db)
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutingConnection(this.writer, this.reader, this.#commits)
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutingConnection).begin()
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutingConnection).commit()
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    ;(connection as RoutingConnection).rollback()
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    await this.beforeClose()
    this.#commits.flush()
    this.reader.close()
    this.writer.close()
  }
}

const READ = /^\s*select\b/i

/**
 * One caller's view of the database. Outside a transaction a select runs on the read connection and a write is a unit
 * of group commit of its own; inside a transaction everything runs on the write connection, in the caller's unit.
 */
class RoutingConnection implements DatabaseConnection {
  #unit: Unit | undefined
  #released = false

  constructor(
    private readonly writer: Statements,
    private readonly reader: Statements,
    private readonly commits: GroupCommit,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#unit) return this.#write(this.#unit, query)
    if (READ.test(query.sql)) return this.reader.execute(query)
    const unit = await this.commits.begin()
    let result: QueryResult<R>
    try {
      result = this.#write(unit, query)
    } catch (error) {
      this.commits.rollback(unit)
      throw error
    }
    this.commits.release(unit)
    // acknowledged only once it is committed
    await unit.committed
    return result
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const statements = this.#unit ? this.writer : this.reader
    for (const row of statements.prepare(query.sql).iterate(...bind(query.parameters))) yield { rows: [row as R] }
  }

  async begin(): Promise<void> {
    this.#unit = await this.commits.begin()
    this.#released = false
  }

  async commit(): Promise<void> {
    const unit = this.#unit as Unit
    this.#released = true
    this.commits.release(unit)
    try {
      await unit.committed
    } finally {
      this.#unit = undefined
    }
  }

  rollback(): void {
    const unit = this.#unit
    this.#unit = undefined
    // a unit whose commit failed was released already; its transaction is gone
    if (unit && !this.#released) this.commits.rollback(unit)
  }

  #write<R>(unit: Unit, query: CompiledQuery): QueryResult<R> {
    try {
      return this.writer.execute(query)
    } catch (error) {
      this.commits.abandon(unit, error)
      throw error
    }
  }
}
