import type { Kysely } from 'kysely'
import type { Database } from './database'
import type { VersionLineageRow } from './lineage-tables'
import { chunks } from './query-helpers'

export interface VersionDatasetRow {
  version_id: number
  dataset_id: number
  uri: string
  digest: string
  name: string
  role: string
}

/** A version as the reverse lineage questions list it. */
interface VersionRefRow {
  version_id: number
  model_name: string
  version: number
  stage: string
  approval_status: string
  created_at: number
}

export interface ConsumerRow extends VersionRefRow {
  uri: string
  digest: string
  role: string
}

export interface ChildRow extends VersionRefRow {
  model_id: number
}

export interface ServingRow {
  version_id: number
  deployment: string
  environment: string
  weight: number
}

/** Where versions came from (datasets, code, environment, parent) and where they go (deployments). */
export class LineageRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** One row per (uri, digest): the same dataset consumed by many versions is one node. */
  async upsertDataset(uri: string, digest: string, name: string, at: number): Promise<number> {
    const existing = await this.db.selectFrom('lineage_datasets').select('id').where('uri', '=', uri).where('digest', '=', digest).executeTakeFirst()
    if (existing) return Number(existing.id)
    const inserted = await this.db
      .insertInto('lineage_datasets')
      .values({ uri, digest, name, created_at: at })
      .onConflict((oc) => oc.columns(['uri', 'digest']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (inserted) return Number(inserted.id)
    // another transaction inserted it between our read and write
    const row = await this.db.selectFrom('lineage_datasets').select('id').where('uri', '=', uri).where('digest', '=', digest).executeTakeFirstOrThrow()
    return Number(row.id)
  }

  async addVersionDatasets(versionId: number, links: { datasetId: number; role: string }[]): Promise<void> {
    if (links.length === 0) return
    await this.db
      .insertInto('version_datasets')
      .values(links.map((l) => ({ version_id: versionId, dataset_id: l.datasetId, role: l.role })))
      .onConflict((oc) => oc.doNothing())
      .execute()
  }

  async setVersionLineage(row: VersionLineageRow): Promise<void> {
    await this.db.insertInto('version_lineage').values(row).execute()
  }

  async ofVersion(versionId: number): Promise<VersionLineageRow | undefined> {
    return this.db.selectFrom('version_lineage').selectAll().where('version_id', '=', versionId).executeTakeFirst()
  }

  async ofVersions(versionIds: number[]): Promise<Map<number, VersionLineageRow>> {
    const found = new Map<number, VersionLineageRow>()
    for (const batch of chunks(versionIds)) {
      for (const row of await this.db.selectFrom('version_lineage').selectAll().where('version_id', 'in', batch).execute()) found.set(Number(row.version_id), row)
    }
    return found
  }

  async datasetsOf(versionIds: number[]): Promise<VersionDatasetRow[]> {
    if (versionIds.length === 0) return []
    return this.db
      .selectFrom('version_datasets as vd')
      .innerJoin('lineage_datasets as d', 'd.id', 'vd.dataset_id')
      .select(['vd.version_id', 'vd.dataset_id', 'd.uri', 'd.digest', 'd.name', 'vd.role'])
      .where('vd.version_id', 'in', versionIds)
      .orderBy('d.uri')
      .orderBy('d.digest')
      .execute()
  }

  async datasetsByUri(uri: string, digest?: string): Promise<{ id: number; uri: string; digest: string; name: string }[]> {
    let query = this.db.selectFrom('lineage_datasets').select(['id', 'uri', 'digest', 'name']).where('uri', '=', uri)
    if (digest !== undefined) query = query.where('digest', '=', digest)
    return query.orderBy('id').limit(1000).execute()
  }

  /** Versions that consumed any of the datasets, in version-row order, one page at a time. */
  async consumers(datasetIds: number[], filter: { stage?: string; servingOnly?: boolean; afterVersionId?: number; limit: number }): Promise<ConsumerRow[]> {
    let query = this.db
      .selectFrom('version_datasets as vd')
      .innerJoin('lineage_datasets as d', 'd.id', 'vd.dataset_id')
      .innerJoin('model_versions as v', 'v.id', 'vd.version_id')
      .innerJoin('registered_models as m', 'm.id', 'v.model_id')
      .select(['v.id as version_id', 'm.name as model_name', 'v.version', 'v.stage', 'v.approval_status', 'v.created_at', 'd.uri', 'd.digest', 'vd.role'])
      .where('vd.dataset_id', 'in', datasetIds)
    if (filter.stage) query = query.where('v.stage', '=', filter.stage)
    if (filter.servingOnly) {
      query = query.where(({ exists, selectFrom }) => exists(selectFrom('deployment_targets as t').select('t.version_id').whereRef('t.version_id', '=', 'v.id').where('t.weight', '>', 0)))
    }
    if (filter.afterVersionId !== undefined) query = query.where('v.id', '>', filter.afterVersionId)
    return query.orderBy('v.id').orderBy('d.id').limit(filter.limit).execute()
  }

  /** Versions whose recorded parent is one of the given (model id, version number) pairs. */
  async children(parents: { modelId: number; version: number }[], limit: number): Promise<(ChildRow & { parent_model_id: number; parent_version: number })[]> {
    if (parents.length === 0) return []
    return this.db
      .selectFrom('version_lineage as l')
      .innerJoin('model_versions as v', 'v.id', 'l.version_id')
      .innerJoin('registered_models as m', 'm.id', 'v.model_id')
      .select(['v.id as version_id', 'm.name as model_name', 'v.version', 'v.stage', 'v.approval_status', 'v.created_at', 'v.model_id', 'l.parent_model_id', 'l.parent_version'])
      .where(({ or, and, eb }) => or(parents.map((p) => and([eb('l.parent_model_id', '=', p.modelId), eb('l.parent_version', '=', p.version)]))))
      .orderBy('v.id')
      .limit(limit)
      .execute() as Promise<(ChildRow & { parent_model_id: number; parent_version: number })[]>
  }

  /** The deployments each version receives traffic from. */
  async servingOf(versionIds: number[]): Promise<ServingRow[]> {
    if (versionIds.length === 0) return []
    return this.db
      .selectFrom('deployment_targets as t')
      .innerJoin('deployments as d', 'd.id', 't.deployment_id')
      .select(['t.version_id', 'd.name as deployment', 'd.environment', 't.weight'])
      .where('t.version_id', 'in', versionIds)
      .where('t.weight', '>', 0)
      .orderBy('d.name')
      .execute()
  }
}
