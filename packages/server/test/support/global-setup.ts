import pg from 'pg'
import { adminUrl, TEST_DB_PREFIX } from './postgres'

/** Checks PostgreSQL answers before any test runs, and drops databases left behind by runs that were killed. */
export default async function setup(): Promise<void> {
  if (!wantsPostgres()) return
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${adminUrl()} (${(error as Error).message}). Start it, or set CANON_TEST_BACKENDS=sqlite to skip it.`, { cause: error })
  }
  try {
    const stale = await client.query<{ datname: string }>(
      `select datname from pg_database where datname like $1 and datname not like $2`,
      [`${TEST_DB_PREFIX}%`, `${TEST_DB_PREFIX}${process.pid}_%`],
    )
    for (const { datname } of stale.rows) {
      const [, pid] = /_(\d+)_/.exec(datname) ?? []
      if (pid && processAlive(Number(pid))) continue
      await client.query(`drop database if exists "${datname}" with (force)`)
    }
  } finally {
    await client.end()
  }
}

function wantsPostgres(): boolean {
  return (process.env.CANON_TEST_BACKENDS ?? 'sqlite,postgres').split(',').includes('postgres')
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
