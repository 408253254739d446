import { sql, type Kysely } from 'kysely'
import type { FileEntry, Stage } from '@canon/api'
import type { Insertable } from 'kysely'
import type { Database, NewVersionRow, VersionRow } from './database'
import { chunks, groupKeyValues } from './query-helpers'
import type { DialectTraits } from './dialect-traits'
import { runPrepared } from './prepared'
import { versionByAliasWithDocument, versionDocument, type VersionDocument } from './version-document'
import { visibleModels } from './visibility-filter'
import type { Visibility } from '../domain/permissions'
import type { FilterNode } from '../domain/version-filter'
import { versionFilterSql } from './version-filter-sql'

export interface VersionListRow extends VersionRow {
  model_name: string
}

export interface VersionSearch {
  modelId?: number
  stage?: Stage
  tags: { key: string; value?: string }[]
  runId?: string
  approval?: string
  createdAfter?: number
  createdBefore?: number
  order: 'asc' | 'desc'
  afterId?: number
  limit: number
  visibility?: Visibility
  /** a parsed search-language filter, ANDed with the fields above */
  filter?: FilterNode
}

/** How many versions, in page order, a filtered search on SQLite tests row by row before it drives from the indexes. */
export const FILTER_WINDOW = 10_000

export interface VersionDetails {
  tags: Map<number, Record<string, string>>
  metrics: Map<number, Record<string, number>>
  params: Map<number, Record<string, string>>
  aliases: Map<number, string[]>
}

export class VersionsRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly traits: DialectTraits,
  ) {}

  async find(modelId: number, version: number): Promise<VersionListRow | undefined> {
    const [row] = await runPrepared(this.db, this.traits, 'versions.find', [modelId, version], () => this.listQuery().where('v.model_id', '=', modelId).where('v.version', '=', version))
    return row
  }

  async latest(modelId: number): Promise<VersionListRow | undefined> {
    return this.listQuery().where('v.model_id', '=', modelId).orderBy('v.version', 'desc').limit(1).executeTakeFirst()
  }

  async latestApproved(modelId: number): Promise<VersionListRow | undefined> {
    return this.listQuery().where('v.model_id', '=', modelId).where('v.approval_status', '=', 'approved').orderBy('v.version', 'desc').limit(1).executeTakeFirst()
  }

  async setApproval(id: number, approval: { status: string; by: string; at: number; comment: string | null }): Promise<void> {
    await this.db
      .updateTable('model_versions')
      .set({ approval_status: approval.status, approval_by: approval.by, approval_at: approval.at, approval_comment: approval.comment, updated_at: approval.at })
      .where('id', '=', id)
      .execute()
  }

  async latestInStage(modelId: number, stage: Stage): Promise<VersionListRow | undefined> {
    return this.listQuery().where('v.model_id', '=', modelId).where('v.stage', '=', stage).orderBy('v.version', 'desc').limit(1).executeTakeFirst()
  }

  async byId(id: number): Promise<VersionListRow | undefined> {
    const [row] = await runPrepared(this.db, this.traits, 'versions.byId', [id], () => this.listQuery().where('v.id', '=', id))
    return row
  }

  async insert(
    row: NewVersionRow,
    extras: { files: FileEntry[]; tags: Record<string, string>; metrics: Record<string, number>; params: Record<string, string> },
  ): Promise<number> {
    // Every statement here is compiled once per shape: on a create, building Kysely queries cost more than running them.
    const columns = Object.entries(row).filter(([, value]) => value !== undefined)
    const [inserted] = await runPrepared(this.db, this.traits, `versions.insert:${columns.map(([c]) => c).join(',')}`, columns.map(([, v]) => v), () =>
      this.db.insertInto('model_versions').values(Object.fromEntries(columns) as NewVersionRow).returning('id'),
    )
    const id = Number((inserted as { id: number }).id)
    for (const batch of chunks(extras.files)) {
      const rows = batch.map((f) => ({ version_id: id, path: f.path, digest: f.digest, size: f.size }))
      await this.insertRows('version_files', rows)
    }
    await this.insertRows('version_tags', keyValueRows(id, extras.tags))
    await this.insertRows('version_params', keyValueRows(id, extras.params))
    await this.insertRows('version_metrics', keyValueRows(id, extras.metrics))
    return id
  }

  /** Inserts rows that all have the same columns, in batches the databases' parameter limits allow. */
  private async insertRows<T extends 'version_files' | 'version_tags' | 'version_params' | 'version_metrics'>(table: T, rows: Insertable<Database[T]>[]): Promise<void> {
    for (const batch of chunks(rows)) {
      const parameters = batch.flatMap((r) => Object.values(r))
      await runPrepared(this.db, this.traits, `versions.insertRows:${table}:${batch.length}`, parameters, () => this.db.insertInto(table).values(batch as never))
    }
  }

  async productionVersions(modelId: number): Promise<number[]> {
    return this.versionsInStage(modelId, 'Production')
  }

  async versionsInStage(modelId: number, stage: Stage): Promise<number[]> {
    const rows = await this.db.selectFrom('model_versions').select('version').where('model_id', '=', modelId).where('stage', '=', stage).execute()
    return rows.map((r) => Number(r.version))
  }

  /** The highest version in each stage, for each model (MLflow's latest_versions). */
  async latestPerStage(modelIds: number[]): Promise<VersionListRow[]> {
    if (modelIds.length === 0) return []
    const tops = await this.db
      .selectFrom('model_versions')
      .select(['model_id', 'stage', (eb) => eb.fn.max('version').as('version')])
      .where('model_id', 'in', modelIds)
      .groupBy(['model_id', 'stage'])
      .execute()
    if (tops.length === 0) return []
    return this.listQuery()
      .where((eb) => eb.or(tops.map((t) => eb.and([eb('v.model_id', '=', t.model_id), eb('v.version', '=', Number(t.version))]))))
      .orderBy('v.model_id')
      .orderBy('v.version')
      .execute()
  }

  async setStage(modelId: number, versions: number[], stage: Stage, at: number): Promise<void> {
    if (versions.length === 0) return
    await this.db
      .updateTable('model_versions')
      .set({ stage, stage_updated_at: at, updated_at: at })
      .where('model_id', '=', modelId)
      .where('version', 'in', versions)
      .execute()
  }

  async update(id: number, patch: { description?: string; at: number }): Promise<void> {
    await this.db
      .updateTable('model_versions')
      .set({ updated_at: patch.at, ...(patch.description !== undefined && { description: patch.description }) })
      .where('id', '=', id)
      .execute()
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('model_versions').where('id', '=', id).execute()
  }

  async search(search: VersionSearch): Promise<VersionListRow[]> {
    // SQLite cannot weigh walking the next rows in page order against driving from the filter's indexes (PostgreSQL
    // does, from statistics), so it tries the walk over a bounded window first: enough when the filter is common.
    if (search.filter && this.traits.relatedRows === 'in-subquery') {
      const nearest = await this.searchQuery(search, { window: FILTER_WINDOW }).execute()
      if (nearest.length >= search.limit) return nearest
    }
    return this.searchQuery(search).execute()
  }

  /**
   * The query `search` runs, unexecuted, so a test can EXPLAIN exactly it. With `window`, only the next `window`
   * versions in page order are candidates, and the filter is tested row by row on them (correlated EXISTS).
   */
  searchQuery(search: VersionSearch, options: { window?: number } = {}) {
    let query = this.listQuery()
    if (search.modelId !== undefined) query = query.where('v.model_id', '=', search.modelId)
    if (search.visibility) query = query.where(visibleModels(sql.ref('m.name'), search.visibility))
    if (search.stage) query = query.where('v.stage', '=', search.stage)
    if (search.runId) query = query.where('v.run_id', '=', search.runId)
    if (search.approval) query = query.where('v.approval_status', '=', search.approval)
    if (search.createdAfter !== undefined) query = query.where('v.created_at', '>=', search.createdAfter)
    if (search.createdBefore !== undefined) query = query.where('v.created_at', '<', search.createdBefore)
    for (const tag of search.tags) {
      query = query.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('version_tags as t')
            .select(sql`1`.as('one'))
            .whereRef('t.version_id', '=', 'v.id')
            .where('t.key', '=', tag.key)
            .$if(tag.value !== undefined, (q) => q.where('t.value', '=', tag.value as string)),
        ),
      )
    }
    if (search.filter) query = query.where(versionFilterSql(search.filter, options.window ? 'exists' : this.traits.relatedRows))
    if (search.afterId !== undefined) query = query.where('v.id', search.order === 'asc' ? '>' : '<', search.afterId)
    if (options.window) {
      // The window's far edge: the id `window` rows on in page order (or the end of the table).
      const asc = search.order === 'asc'
      const afterId = search.afterId
      const edge = this.db
        .selectFrom('model_versions as w')
        .select('w.id')
        .$if(afterId !== undefined, (q) => q.where('w.id', asc ? '>' : '<', afterId as number))
        .orderBy('w.id', search.order)
        .limit(1)
        .offset(options.window - 1)
      query = query.where('v.id', asc ? '<=' : '>=', sql<number>`coalesce((${edge}), ${asc ? Number.MAX_SAFE_INTEGER : 0})`)
    }
    return query.orderBy('v.id', search.order).limit(search.limit)
  }

  async details(ids: number[]): Promise<VersionDetails> {
    const merged: VersionDetails = { tags: new Map(), metrics: new Map(), params: new Map(), aliases: new Map() }
    for (const batch of chunks(ids, 1000)) {
      const part = await this.detailsOf(batch)
      for (const key of ['tags', 'metrics', 'params', 'aliases'] as const) for (const [id, value] of part[key]) merged[key].set(id, value as never)
    }
    return merged
  }

  private async detailsOf(ids: number[]): Promise<VersionDetails> {
    if (ids.length === 1) return this.detailsOfOne(ids[0]!)
    const [tags, metrics, params, aliases] = await Promise.all([
      this.db.selectFrom('version_tags').select(['version_id as owner', 'key', 'value']).where('version_id', 'in', ids).execute(),
      this.db.selectFrom('version_metrics').select(['version_id as owner', 'key', 'value']).where('version_id', 'in', ids).execute(),
      this.db.selectFrom('version_params').select(['version_id as owner', 'key', 'value']).where('version_id', 'in', ids).execute(),
      this.db.selectFrom('model_aliases').select(['version_id', 'alias']).where('version_id', 'in', ids).orderBy('alias').execute(),
    ])
    const aliasMap = new Map<number, string[]>()
    for (const a of aliases) aliasMap.set(a.version_id, [...(aliasMap.get(a.version_id) ?? []), a.alias])
    return { tags: groupKeyValues(tags), metrics: groupKeyValues(metrics), params: groupKeyValues(params), aliases: aliasMap }
  }

  /** One version's tags, metrics, params and aliases: the hot path of every single-version read, with prepared SQL. */
  private async detailsOfOne(id: number): Promise<VersionDetails> {
    const db = this.db
    const [tags, metrics, params, aliases] = await Promise.all([
      runPrepared(db, this.traits, 'versions.tags1', [id], () => db.selectFrom('version_tags').select(['version_id as owner', 'key', 'value']).where('version_id', '=', id)),
      runPrepared(db, this.traits, 'versions.metrics1', [id], () => db.selectFrom('version_metrics').select(['version_id as owner', 'key', 'value']).where('version_id', '=', id)),
      runPrepared(db, this.traits, 'versions.params1', [id], () => db.selectFrom('version_params').select(['version_id as owner', 'key', 'value']).where('version_id', '=', id)),
      runPrepared(db, this.traits, 'versions.aliases1', [id], () => db.selectFrom('model_aliases').select(['version_id', 'alias']).where('version_id', '=', id).orderBy('alias')),
    ])
    const aliasMap = new Map<number, string[]>()
    if (aliases.length > 0) aliasMap.set(id, aliases.map((a) => a.alias))
    return { tags: groupKeyValues(tags), metrics: groupKeyValues(metrics), params: groupKeyValues(params), aliases: aliasMap }
  }

  /** Tags, metrics, params, aliases and files of one version, in one statement. */
  document(id: number): Promise<VersionDocument> {
    return versionDocument(this.db, this.traits.name, id)
  }

  /** The version an alias of a model points at, with its document, in one statement. */
  byAlias(modelName: string, alias: string): Promise<{ row: VersionListRow; document: VersionDocument } | undefined> {
    return versionByAliasWithDocument(this.db, this.traits.name, modelName, alias)
  }

  async files(versionId: number): Promise<FileEntry[]> {
    return runPrepared(this.db, this.traits, 'versions.files', [versionId], () =>
      this.db.selectFrom('version_files').select(['path', 'size', 'digest']).where('version_id', '=', versionId).orderBy('path'),
    )
  }

  async file(versionId: number, path: string): Promise<FileEntry | undefined> {
    return this.db.selectFrom('version_files').select(['path', 'size', 'digest']).where('version_id', '=', versionId).where('path', '=', path).executeTakeFirst()
  }

  async setTag(id: number, key: string, value: string): Promise<void> {
    await this.db
      .insertInto('version_tags')
      .values({ version_id: id, key, value })
      .onConflict((oc) => oc.columns(['version_id', 'key']).doUpdateSet({ value }))
      .execute()
  }

  async tagValue(id: number, key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('version_tags').select('value').where('version_id', '=', id).where('key', '=', key).executeTakeFirst()
    return row?.value
  }

  async deleteTag(id: number, key: string): Promise<boolean> {
    const result = await this.db.deleteFrom('version_tags').where('version_id', '=', id).where('key', '=', key).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async insertTransition(row: { versionId: number; from: Stage; to: Stage; actor: string; reason: string | null; at: number }): Promise<void> {
    await this.db
      .insertInto('stage_transitions')
      .values({ version_id: row.versionId, from_stage: row.from, to_stage: row.to, actor: row.actor, reason: row.reason, at: row.at })
      .execute()
  }

  /** The latest `limit` stage changes of a version, oldest first. */
  async transitions(versionId: number, limit: number) {
    const rows = await this.db.selectFrom('stage_transitions').selectAll().where('version_id', '=', versionId).orderBy('id', 'desc').limit(limit).execute()
    return rows.reverse()
  }

  /** Which of these digests some version still references. */
  async referencedDigests(digests: string[]): Promise<Set<string>> {
    const found = new Set<string>()
    for (const batch of chunks(digests)) {
      const rows = await this.db.selectFrom('version_files').select('digest').distinct().where('digest', 'in', batch).execute()
      for (const r of rows) found.add(r.digest)
    }
    return found
  }

  private listQuery() {
    return this.db.selectFrom('model_versions as v').innerJoin('registered_models as m', 'm.id', 'v.model_id').selectAll('v').select('m.name as model_name')
  }
}

function keyValueRows<V>(versionId: number, values: Record<string, V>): { version_id: number; key: string; value: V }[] {
  return Object.entries(values).map(([key, value]) => ({ version_id: versionId, key, value }))
}
