import { createHash } from 'node:crypto'
import pg from 'pg'
import { PostgresDialect } from 'kysely'
import { isFixedStatement } from './prepared'

// int8 (counts, sums, epoch milliseconds) arrives as a string by default; every value Canon stores fits a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number(value))

// A connection attempt gives up after 5 s, so requests fail fast (503) while the database is away; TCP keepalive finds
// connections a network failure cut silently.
export function createPostgresDialect(connectionString: string, poolSize: number): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString, max: poolSize, connectionTimeoutMillis: 5000, keepAlive: true })
  // A client losing its connection (a database restart) must not crash the process: idle clients report it on the pool,
  // checked-out ones (between two queries of a transaction) on themselves; their next query fails and maps to a 503.
  pool.on('error', () => {})
  pool.on('connect', (client) => {
    client.on('error', () => {})
    prepareFixedStatements(client)
  })
  return { dialect: new PostgresDialect({ pool }), pool }
}

const statementNames = new Map<string, string>()
/** Bumped when a schema change invalidates prepared statements, so each connection prepares them anew under new names. */
let generation = 0

function statementName(text: string): string {
  let name = statementNames.get(text)
  if (name === undefined) {
    name = `canon_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`
    statementNames.set(text, name)
  }
  return `${name}_${generation}`
}

type Query = (config: unknown, values?: unknown, callback?: unknown) => Promise<unknown>

/**
 * Statements whose text never changes (see prepared.ts) run as named statements: each connection parses and plans them
 * once instead of on every call, which is most of PostgreSQL's work for a one-row read.
 */
function prepareFixedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query
  const named: Query = (config, values, callback) => {
    if (typeof config !== 'string' || callback !== undefined || !isFixedStatement(config)) return query(config, values, callback)
    return query({ name: statementName(config), text: config, values }).catch((error: { code?: string; message?: string }) => {
      // A migration changed a table under a prepared `select *` (a rolling upgrade added a column): prepare it afresh.
      if (error?.code !== '0A000' || !/cached plan must not change result type/.test(error.message ?? '')) throw error
      generation++
      return query({ name: statementName(config), text: config, values })
    })
  }
  client.query = named as unknown as typeof client.query
}
