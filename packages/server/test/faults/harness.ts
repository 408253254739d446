import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { expect } from 'vitest'
import { ServeProcess } from '../auth/serve-process'
import type { BackendName } from '../support/backends'
import { openMetadataStore, type MetadataStore } from '../../src/store/metadata-store'

/** Where a spawned `canon serve` keeps its state: a data dir (blobs, and the SQLite file) and, on PostgreSQL, a database URL. */
export interface Site {
  backend: BackendName
  dataDir: string
  databaseUrl?: string
}

/** Starts `canon serve` as a child process on the site and waits until it serves. */
export async function spawnServe(site: Site, env: Record<string, string> = {}): Promise<{ serve: ServeProcess; url: string }> {
  const serve = new ServeProcess({
    CANON_DATA_DIR: site.dataDir,
    CANON_ACTOR: 'tester',
    ...(site.databaseUrl && { CANON_DATABASE_URL: site.databaseUrl }),
    ...env,
  })
  return { serve, url: await serve.url() }
}

/** Opens the site's metadata database directly, to look for what HTTP would not show. */
export function openSiteStore(site: Site): MetadataStore {
  return site.backend === 'sqlite'
    ? openMetadataStore({ kind: 'sqlite', file: join(site.dataDir, 'canon.db') })
    : openMetadataStore({ kind: 'postgres', url: site.databaseUrl!, poolSize: 2 })
}

const ORPHAN_QUERIES: Record<string, string> = {
  'version files without their version': 'select count(*) as n from version_files f where not exists (select 1 from model_versions v where v.id = f.version_id)',
  'versions whose file rows do not match their manifest count': 'select count(*) as n from model_versions v where v.file_count <> (select count(*) from version_files f where f.version_id = v.id)',
  'versions without their model': 'select count(*) as n from model_versions v where not exists (select 1 from registered_models m where m.id = v.model_id)',
  'version tags without their version': 'select count(*) as n from version_tags t where not exists (select 1 from model_versions v where v.id = t.version_id)',
  'aliases pointing at no version': 'select count(*) as n from model_aliases a where not exists (select 1 from model_versions v where v.id = a.version_id)',
  'stage transitions without their version': 'select count(*) as n from stage_transitions t where not exists (select 1 from model_versions v where v.id = t.version_id)',
  'models whose next number is not past their highest version': 'select count(*) as n from registered_models m where m.next_version <= (select coalesce(max(v.version), 0) from model_versions v where v.model_id = m.id)',
  'versions whose stage is not their last transition': `select count(*) as n from model_versions v where exists (select 1 from stage_transitions t where t.version_id = v.id)
     and v.stage <> (select t.to_stage from stage_transitions t where t.version_id = v.id order by t.id desc limit 1)`,
}

/** Counts rows a half-done write could have left behind; every count must be 0. */
export async function orphanCounts(store: MetadataStore): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const [what, query] of Object.entries(ORPHAN_QUERIES)) {
    const { rows } = await sql<{ n: number | string }>`${sql.raw(query)}`.execute(store.db)
    counts[what] = Number(rows[0]?.n ?? -1)
  }
  return counts
}

/** One number per query: `select count(*) as n …` on the site's database. */
export async function countRows(store: MetadataStore, query: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`${sql.raw(query)}`.execute(store.db)
  return Number(rows[0]?.n ?? -1)
}

export async function expectNoOrphans(site: Site): Promise<void> {
  const store = openSiteStore(site)
  try {
    const counts = await orphanCounts(store)
    expect(counts).toEqual(Object.fromEntries(Object.keys(ORPHAN_QUERIES).map((k) => [k, 0])))
  } finally {
    await store.close()
  }
}

/** Files in a directory, or none when it does not exist. */
export async function filesIn(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => [])
}

/** Every blob file under the blob store's content-addressed tree, as digests. */
export async function storedDigests(dataDir: string): Promise<string[]> {
  const root = join(dataDir, 'blobs', 'sha256')
  const digests: string[] = []
  for (const shard of await filesIn(root)) for (const name of await filesIn(join(root, shard))) digests.push(`sha256:${name}`)
  return digests.sort()
}

/** Polls until `ready` holds (bounded by the test timeout, never by a wall-clock assertion). */
export async function waitFor(what: string, ready: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
