import type { Kysely } from 'kysely'
import type { Database, RunMetricRow, RunRow } from './database'
import { chunks, groupKeyValues } from './query-helpers'

export interface RunDetails {
  params: Map<string, Record<string, string>>
  tags: Map<string, Record<string, string>>
  metrics: Map<string, RunMetricRow[]>
  inputs: Map<string, { tags: string; name: string; digest: string; source_type: string; source: string; schema: string | null; profile: string | null }[]>
}

export class RunsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async byId(runId: string): Promise<RunRow | undefined> {
    return this.db.selectFrom('runs').selectAll().where('run_id', '=', runId).executeTakeFirst()
  }

  async insert(row: RunRow): Promise<void> {
    await this.db.insertInto('runs').values(row).execute()
  }

  async update(runId: string, patch: Partial<Pick<RunRow, 'status' | 'end_time' | 'run_name' | 'lifecycle_stage' | 'deleted_time'>>): Promise<void> {
    if (Object.keys(patch).length === 0) return
    await this.db.updateTable('runs').set(patch).where('run_id', '=', runId).execute()
  }

  async setLifecycleOfExperiment(experimentId: number, stage: string, at: number | null): Promise<void> {
    await this.db.updateTable('runs').set({ lifecycle_stage: stage, deleted_time: at }).where('experiment_id', '=', experimentId).execute()
  }

  async param(runId: string, key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('run_params').select('value').where('run_id', '=', runId).where('key', '=', key).executeTakeFirst()
    return row?.value
  }

  async insertParams(runId: string, params: { key: string; value: string }[]): Promise<void> {
    for (const batch of chunks(params)) {
      await this.db
        .insertInto('run_params')
        .values(batch.map((p) => ({ run_id: runId, key: p.key, value: p.value })))
        .onConflict((oc) => oc.columns(['run_id', 'key']).doNothing())
        .execute()
    }
  }

  async setTags(runId: string, tags: { key: string; value: string }[]): Promise<void> {
    for (const tag of tags) {
      await this.db
        .insertInto('run_tags')
        .values({ run_id: runId, key: tag.key, value: tag.value })
        .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet({ value: tag.value }))
        .execute()
    }
  }

  async deleteTag(runId: string, key: string): Promise<boolean> {
    const result = await this.db.deleteFrom('run_tags').where('run_id', '=', runId).where('key', '=', key).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  /** Appends metric points and keeps the latest value per key: the one with the greatest (step, timestamp, value), as MLflow does. */
  async logMetrics(runId: string, points: Omit<RunMetricRow, 'run_id'>[]): Promise<void> {
    if (points.length === 0) return
    for (const batch of chunks(points)) await this.db.insertInto('run_metric_history').values(batch.map((p) => ({ ...p, run_id: runId }))).execute()
    const keys = [...new Set(points.map((p) => p.key))]
    const current = await this.db.selectFrom('run_latest_metrics').selectAll().where('run_id', '=', runId).where('key', 'in', keys).execute()
    const latest = new Map(current.map((m) => [m.key, m]))
    for (const point of points) {
      const existing = latest.get(point.key)
      if (!existing || isLater(point, existing)) latest.set(point.key, { ...point, run_id: runId })
    }
    for (const key of keys) {
      const row = latest.get(key)!
      await this.db
        .insertInto('run_latest_metrics')
        .values({ run_id: runId, key, value: row.value, is_nan: row.is_nan, timestamp: row.timestamp, step: row.step })
        .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet({ value: row.value, is_nan: row.is_nan, timestamp: row.timestamp, step: row.step }))
        .execute()
    }
  }

  /** The first `perKey` points of each of several metrics, in one statement (a window per key). */
  async metricHistories(runId: string, keys: string[], perKey: number): Promise<RunMetricRow[]> {
    if (keys.length === 0) return []
    const ranked = this.db
      .selectFrom('run_metric_history')
      .select(['run_id', 'key', 'value', 'is_nan', 'timestamp', 'step'])
      .select((eb) => eb.fn.agg<number>('row_number').over((ob) => ob.partitionBy('key').orderBy('step').orderBy('timestamp').orderBy('id')).as('rank'))
      .where('run_id', '=', runId)
      .where('key', 'in', keys)
      .as('ranked')
    return this.db
      .selectFrom(ranked)
      .select(['run_id', 'key', 'value', 'is_nan', 'timestamp', 'step'])
      .where('rank', '<=', perKey)
      .orderBy('key')
      .orderBy('rank')
      .execute()
  }

  async metricHistory(runId: string, key: string, limit: number): Promise<RunMetricRow[]> {
    return this.db
      .selectFrom('run_metric_history')
      .select(['run_id', 'key', 'value', 'is_nan', 'timestamp', 'step'])
      .where('run_id', '=', runId)
      .where('key', '=', key)
      .orderBy('step')
      .orderBy('timestamp')
      .orderBy('id')
      .limit(limit)
      .execute()
  }

  async upsertDataset(row: { experiment_id: number; name: string; digest: string; source_type: string; source: string; schema: string | null; profile: string | null }): Promise<number> {
    const existing = await this.db
      .selectFrom('datasets')
      .select('id')
      .where('experiment_id', '=', row.experiment_id)
      .where('name', '=', row.name)
      .where('digest', '=', row.digest)
      .executeTakeFirst()
    if (existing) return Number(existing.id)
    const inserted = await this.db.insertInto('datasets').values(row).returning('id').executeTakeFirstOrThrow()
    return Number(inserted.id)
  }

  async addInput(runId: string, datasetId: number, tags: string): Promise<void> {
    await this.db
      .insertInto('run_inputs')
      .values({ run_id: runId, dataset_id: datasetId, tags })
      .onConflict((oc) => oc.columns(['run_id', 'dataset_id']).doUpdateSet({ tags }))
      .execute()
  }

  async details(runIds: string[]): Promise<RunDetails> {
    const details: RunDetails = { params: new Map(), tags: new Map(), metrics: new Map(), inputs: new Map() }
    if (runIds.length === 0) return details
    const [params, tags, metrics, inputs] = await Promise.all([
      this.db.selectFrom('run_params').select(['run_id', 'key', 'value']).where('run_id', 'in', runIds).execute(),
      this.db.selectFrom('run_tags').select(['run_id', 'key', 'value']).where('run_id', 'in', runIds).execute(),
      this.db.selectFrom('run_latest_metrics').selectAll().where('run_id', 'in', runIds).orderBy('key').execute(),
      this.db
        .selectFrom('run_inputs as i')
        .innerJoin('datasets as d', 'd.id', 'i.dataset_id')
        .select(['i.run_id', 'i.tags', 'd.name', 'd.digest', 'd.source_type', 'd.source', 'd.schema', 'd.profile'])
        .where('i.run_id', 'in', runIds)
        .execute(),
    ])
    const byRun = <T extends { run_id: string }>(rows: T[]) => {
      const map = new Map<string, T[]>()
      for (const r of rows) map.set(r.run_id, [...(map.get(r.run_id) ?? []), r])
      return map
    }
    details.params = groupKeyValues(params.map((p) => ({ owner: p.run_id as never, key: p.key, value: p.value }))) as never
    details.tags = groupKeyValues(tags.map((p) => ({ owner: p.run_id as never, key: p.key, value: p.value }))) as never
    details.metrics = byRun(metrics)
    details.inputs = byRun(inputs)
    return details
  }

  /** Candidate runs of some experiments in a lifecycle view, newest first; the MLflow face filters and orders them. */
  async inExperiments(experimentIds: number[], stages: string[], limit: number): Promise<RunRow[]> {
    if (experimentIds.length === 0) return []
    return this.db
      .selectFrom('runs')
      .selectAll()
      .where('experiment_id', 'in', experimentIds)
      .where('lifecycle_stage', 'in', stages)
      .orderBy('start_time', 'desc')
      .orderBy('run_id')
      .limit(limit)
      .execute()
  }
}

function isLater(a: { step: number; timestamp: number; value: number }, b: { step: number; timestamp: number; value: number }): boolean {
  if (Number(a.step) !== Number(b.step)) return Number(a.step) > Number(b.step)
  if (Number(a.timestamp) !== Number(b.timestamp)) return Number(a.timestamp) > Number(b.timestamp)
  return a.value >= b.value
}
