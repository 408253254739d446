import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const TEST_DB_PREFIX = 'canon_test_'

export function adminUrl(): string {
  return process.env.CANON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
}

/** Creates an empty database of its own for one test file; the returned drop() removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${TEST_DB_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`
  await withAdmin((c) => c.query(`create database "${name}"`))
  const url = new URL(adminUrl())
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: () => withAdmin((c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  }
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}
