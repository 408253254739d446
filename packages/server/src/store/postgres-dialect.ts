import pg from 'pg'
import { PostgresDialect } from 'kysely'

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
  pool.on('connect', (client) => client.on('error', () => {}))
  return { dialect: new PostgresDialect({ pool }), pool }
}
