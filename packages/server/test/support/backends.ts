import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { loadConfig, startServer, type RunningServer } from '../../src/index'
import { openMetadataStore, type MetadataStore } from '../../src/store/metadata-store'
import { createTestDatabase } from './postgres'

export type BackendName = 'sqlite' | 'postgres'

/** The metadata backends this run covers; CANON_TEST_BACKENDS=sqlite narrows it, as Kysely's own suite does. */
export const backends: BackendName[] = (process.env.CANON_TEST_BACKENDS ?? 'sqlite,postgres')
  .split(',')
  .map((b) => b.trim())
  .filter((b): b is BackendName => b === 'sqlite' || b === 'postgres')

export async function tempDir(prefix = 'canon-test-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

/** A migrated metadata store on a real SQLite file or a fresh PostgreSQL database. */
export async function openTestStore(backend: BackendName): Promise<{ store: MetadataStore; cleanup(): Promise<void> }> {
  if (backend === 'sqlite') {
    const dir = await tempDir()
    const store = openMetadataStore({ kind: 'sqlite', file: join(dir.path, 'canon.db') })
    await store.migrate()
    return { store, cleanup: async () => (await store.close(), await dir.remove()) }
  }
  const database = await createTestDatabase()
  const store = openMetadataStore({ kind: 'postgres', url: database.url, poolSize: 20 })
  await store.migrate()
  return { store, cleanup: async () => (await store.close(), await database.drop()) }
}

export interface TestServer extends RunningServer {
  dataDir: string
  databaseUrl?: string
  /** stops the server and removes its data */
  stop(): Promise<void>
}

/** A real `canon serve` (in process) on a loopback port chosen by the OS, with its own data directory and database. */
export async function startTestServer(backend: BackendName, env: Record<string, string> = {}): Promise<TestServer> {
  const dir = await tempDir()
  const database = backend === 'postgres' ? await createTestDatabase() : undefined
  const config = loadConfig({ port: 0, dataDir: dir.path, databaseUrl: database?.url }, { CANON_LOG_FORMAT: 'json', CANON_ACTOR: 'tester', ...env })
  const server = await startServer(config, pino({ level: process.env.CANON_TEST_LOG ?? 'silent' }))
  return {
    ...server,
    dataDir: dir.path,
    databaseUrl: database?.url,
    async stop() {
      await server.close()
      await database?.drop()
      await dir.remove()
    },
  }
}
