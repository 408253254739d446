import type { GcReport, Version } from '@canon/api'
import { AliasesApi } from './aliases'
import { AuditApi } from './audit'
import { BlobsApi } from './blobs'
import { CardsApi } from './cards'
import { FilesApi } from './files'
import { GovernanceApi } from './governance'
import { IdentitiesApi } from './identities'
import { ModelsApi } from './models'
import { paths } from './paths'
import { pullVersion, type PullOptions, type PullResult } from './pull'
import { pushVersion, type PushOptions, type PushResult } from './push'
import { Transport } from './transport'
import type { CanonClientOptions, GcOptions, Health, Readiness } from './types'
import { VersionsApi } from './versions'
import { LineageApi } from './lineage'
import { DeploymentsApi } from './deployments'
import { RunsApi, type RunHandle } from './runs'
import type { CreateRunInput } from '@canon/api'
import { SchedulesApi, WebhooksApi } from './webhooks'

/** Typed client for Canon's native HTTP API (/api/v1). */
export class CanonClient {
  readonly url: string
  readonly models: ModelsApi
  readonly versions: VersionsApi
  readonly aliases: AliasesApi
  readonly files: FilesApi
  readonly blobs: BlobsApi
  readonly audit: AuditApi
  readonly identities: IdentitiesApi
  readonly governance: GovernanceApi
  readonly cards: CardsApi
  readonly lineage: LineageApi
  readonly deployments: DeploymentsApi
  readonly runs: RunsApi
  readonly webhooks: WebhooksApi
  readonly schedules: SchedulesApi
  private readonly http: Transport

  constructor(options: CanonClientOptions) {
    this.http = new Transport(options)
    this.url = this.http.baseUrl
    this.models = new ModelsApi(this.http)
    this.versions = new VersionsApi(this.http)
    this.aliases = new AliasesApi(this.http)
    this.files = new FilesApi(this.http)
    this.blobs = new BlobsApi(this.http)
    this.audit = new AuditApi(this.http)
    this.identities = new IdentitiesApi(this.http)
    this.governance = new GovernanceApi(this.http)
    this.cards = new CardsApi(this.http)
    this.lineage = new LineageApi(this.http)
    this.deployments = new DeploymentsApi(this.http)
    this.runs = new RunsApi(this.http)
    this.webhooks = new WebhooksApi(this.http)
    this.schedules = new SchedulesApi(this.http)
  }

  /** Starts a tracked run: `const run = await canon.startRun({ experiment: 'churn' }); await run.logMetrics({ auc: 0.9 })`. */
  startRun(input: CreateRunInput): Promise<RunHandle> {
    return this.runs.start(input)
  }

  /** The version a model URI names: models:/m/3, models:/m/Production, models:/m@alias, models:/m/latest, model://m/v3, model://m@alias. */
  resolve(uri: string): Promise<Version> {
    return this.http.json('GET', paths.resolve(), { query: { uri } })
  }

  /** Mark and sweep over unreferenced blobs; a dry run unless `apply` is set. */
  gc(options: GcOptions = {}): Promise<GcReport> {
    return this.http.json('POST', paths.gc(), { json: options })
  }

  health(): Promise<Health> {
    return this.http.json('GET', paths.health())
  }

  /** Answers only while the server's metadata database does; otherwise DATABASE_UNAVAILABLE. */
  ready(): Promise<Readiness> {
    return this.http.json('GET', paths.ready())
  }

  /** Hashes, uploads what the server lacks, and registers a new version of `model` (see push.ts). */
  pushVersion(model: string, fileOrDir: string, options?: PushOptions): Promise<PushResult> {
    return pushVersion(this, model, fileOrDir, options)
  }

  /** Downloads every file of the version `uri` names into `dir`, verifying each sha256 (see pull.ts). */
  pullVersion(uri: string, dir: string, options?: PullOptions): Promise<PullResult> {
    return pullVersion(this, uri, dir, options)
  }
}
