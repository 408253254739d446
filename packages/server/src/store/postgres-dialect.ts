import pg from 'pg'
import { PostgresDialect } from 'kysely'

// int8 (counts, sums, epoch milliseconds) arrives as a string by default; every value Canon stores fits a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number(value))

export function createPostgresDialect(connectionString: string, poolSize: number): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString, max: poolSize, connectionTimeoutMillis: 5000 })
  // An idle client losing its connection (a database restart) must not crash the process.
  pool.on('error', () => {})
  return { dialect: new PostgresDialect({ pool }), pool }
}
