import { CompiledQuery, Kysely, sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import type { Database } from './database'
import { postgresTraits, sqliteTraits, type DialectTraits } from './dialect-traits'
import { createPostgresDialect } from './postgres-dialect'
import { createSqliteDialect } from './sqlite-dialect'
import { migrationProvider } from './migrations/index'
import { ModelsRepo } from './models.repo'
import { VersionsRepo } from './versions.repo'
import { AliasesRepo } from './aliases.repo'
import { AuditRepo } from './audit.repo'
import { ExperimentsRepo } from './experiments.repo'
import { RunsRepo } from './runs.repo'
import { ArtifactsRepo } from './artifacts.repo'
import { IdentitiesRepo } from './identities.repo'
import { CardsRepo } from './cards.repo'
import { RequestsRepo } from './requests.repo'
import { LineageRepo } from './lineage.repo'
import { DeploymentsRepo } from './deployments.repo'
import { ReadCache } from './read-cache'
import { WebhooksRepo } from './webhooks.repo'
import { SchedulesRepo } from './schedules.repo'
import { UploadsRepo } from './uploads.repo'

export interface Repos {
  readonly models: ModelsRepo
  readonly versions: VersionsRepo
  readonly aliases: AliasesRepo
  readonly audit: AuditRepo
  readonly experiments: ExperimentsRepo
  readonly runs: RunsRepo
  readonly artifacts: ArtifactsRepo
  readonly identities: IdentitiesRepo
  readonly cards: CardsRepo
  readonly requests: RequestsRepo
  readonly lineage: LineageRepo
  readonly deployments: DeploymentsRepo
  readonly webhooks: WebhooksRepo
  readonly schedules: SchedulesRepo
  readonly uploads: UploadsRepo
}

/** The metadata port: repositories over one query layer, and a transaction that hands out the same repositories bound to it. */
export interface MetadataStore extends Repos {
  readonly traits: DialectTraits
  readonly db: Kysely<Database>
  /** serialized answers to hot reads, dropped whenever the database changes */
  readonly reads: ReadCache
  transaction<T>(work: (tx: Repos) => Promise<T>): Promise<T>
  /** applies pending migrations; returns the names applied */
  migrate(): Promise<string[]>
  ping(): Promise<void>
  close(): Promise<void>
}

export type MetadataStoreOptions = (
  | { kind: 'sqlite'; file: string; synchronous?: 'NORMAL' | 'FULL' }
  | { kind: 'postgres'; url: string; poolSize?: number }
) & {
  /** bytes the read cache may hold; 0 turns it off */
  readCacheBytes?: number
}

const DEFAULT_READ_CACHE_BYTES = 32 * 1024 * 1024

export function openMetadataStore(options: MetadataStoreOptions): MetadataStore {
  if (options.kind === 'sqlite') {
    const { dialect, changeToken } = createSqliteDialect({ file: options.file, synchronous: options.synchronous ?? 'NORMAL' })
    return kyselyMetadataStore(new Kysely<Database>({ dialect }), sqliteTraits, new ReadCache(changeToken, options.readCacheBytes ?? DEFAULT_READ_CACHE_BYTES))
  }
  const { dialect } = createPostgresDialect(options.url, options.poolSize ?? 10)
  const db = new Kysely<Database>({ dialect })
  // Every change a cached answer depends on (models, versions, tags, aliases, stages, approvals, grants) is audited,
  // and each audit event moves the chain head: one indexed read tells any instance whether anything changed.
  const auditHead = CompiledQuery.raw("select seq from audit_head where chain = 'main'")
  const changeToken = async () => String((await db.executeQuery<{ seq: number | string }>(auditHead)).rows[0]?.seq ?? '')
  return kyselyMetadataStore(db, postgresTraits, new ReadCache(changeToken, options.readCacheBytes ?? DEFAULT_READ_CACHE_BYTES))
}

function bindRepos(db: Kysely<Database>, traits: DialectTraits): Repos {
  return {
    models: new ModelsRepo(db, traits),
    versions: new VersionsRepo(db, traits),
    aliases: new AliasesRepo(db, traits),
    audit: new AuditRepo(db, traits),
    experiments: new ExperimentsRepo(db),
    runs: new RunsRepo(db),
    artifacts: new ArtifactsRepo(db),
    identities: new IdentitiesRepo(db),
    cards: new CardsRepo(db),
    requests: new RequestsRepo(db),
    lineage: new LineageRepo(db),
    deployments: new DeploymentsRepo(db, traits),
    webhooks: new WebhooksRepo(db, traits),
    schedules: new SchedulesRepo(db),
    uploads: new UploadsRepo(db),
  }
}

/** The store is its repositories bound to the database, plus the operations that need the database itself. */
function kyselyMetadataStore(db: Kysely<Database>, traits: DialectTraits, reads: ReadCache): MetadataStore {
  return {
    ...bindRepos(db, traits),
    db,
    traits,
    reads,
    transaction: (work) => db.transaction().execute((trx) => work(bindRepos(trx, traits))),
    async migrate() {
      // Kysely's migrator holds a lock table row while it runs, so two instances starting at once apply each migration once.
      const migrator = new Migrator({ db, provider: migrationProvider(traits) })
      const { error, results } = await migrator.migrateToLatest()
      if (error) throw error
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
    },
    async ping() {
      await sql`select 1`.execute(db)
    },
    close: () => db.destroy(),
  }
}
