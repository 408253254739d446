import { randomUUID } from 'node:crypto'
import { CanonError } from '../../domain/errors'
import type { RunRow } from '../../store/database'
import type { Repos } from '../../store/metadata-store'
import type { Actor, ServiceDeps } from '../context'
import { getExperiment } from './experiments.service'
import { randomRunName } from './run-names'

export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

export interface MetricPoint {
  key: string
  value: number
  timestamp: number
  step: number
}

const KEY = /^[/\w.\- :]{1,250}$/

/** Metric, param and tag keys as MLflow allows them: word characters, '/', '.', '-', ' ', ':', and no climbing out with '..'. */
export function checkKey(key: string, what: string): string {
  if (!KEY.test(key) || key.startsWith('/') || key.split('/').some((s) => s === '..' || s === '.')) {
    throw new CanonError('INVALID_INPUT', `Invalid ${what} name: '${key.slice(0, 100)}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/).`)
  }
  return key
}

export const runNotFound = (runId: string) => new CanonError('RUN_NOT_FOUND', `Run with id=${runId.slice(0, 64)} not found`, { runId: runId.slice(0, 64) })

export async function getRun(store: Repos, runId: string): Promise<RunRow> {
  const row = await store.runs.byId(runId)
  if (!row) throw runNotFound(runId)
  return row
}

async function activeRun(store: Repos, runId: string): Promise<RunRow> {
  const row = await getRun(store, runId)
  if (row.lifecycle_stage !== 'active') throw new CanonError('INVALID_STATE', `The run ${runId} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`)
  return row
}

export async function createRun(
  deps: ServiceDeps,
  actor: Actor,
  input: { experimentId: string; userId?: string; runName?: string; startTime?: number; tags: { key: string; value: string }[] },
): Promise<RunRow> {
  const nameTag = input.tags.find((t) => t.key === 'mlflow.runName')?.value
  if (input.runName && nameTag && input.runName !== nameTag) {
    throw new CanonError('INVALID_INPUT', `Both 'run_name' (${input.runName}) and the 'mlflow.runName' tag (${nameTag}) were given and differ.`)
  }
  for (const tag of input.tags) checkKey(tag.key, 'tag')
  const runName = input.runName || nameTag || randomRunName()
  const at = deps.clock()
  return deps.store.transaction(async (tx) => {
    const experiment = await getExperiment(tx, input.experimentId)
    if (experiment.lifecycle_stage !== 'active') {
      throw new CanonError('INVALID_STATE', `The experiment ${experiment.id} must be in the 'active' state. Current state is ${experiment.lifecycle_stage}.`)
    }
    const runId = randomUUID().replace(/-/g, '')
    const row: RunRow = {
      run_id: runId,
      experiment_id: experiment.id,
      run_name: runName,
      user_id: input.userId ?? actor.name,
      status: 'RUNNING',
      start_time: input.startTime ?? at,
      end_time: null,
      lifecycle_stage: 'active',
      artifact_uri: `${experiment.artifact_location}/${runId}/artifacts`,
      deleted_time: null,
    }
    await tx.runs.insert(row)
    const tags = input.tags.some((t) => t.key === 'mlflow.runName') ? input.tags : [...input.tags, { key: 'mlflow.runName', value: runName }]
    await tx.runs.setTags(runId, tags)
    await tx.audit.append({ at, actor: actor.name, action: 'run.create', target: `run:${runId}`, after: { experimentId: experiment.id, runName } })
    return row
  })
}

export async function updateRun(deps: ServiceDeps, runId: string, patch: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunRow> {
  return deps.store.transaction(async (tx) => {
    await activeRun(tx, runId)
    await tx.runs.update(runId, {
      ...(patch.status && { status: patch.status }),
      ...(patch.endTime !== undefined && { end_time: patch.endTime }),
      ...(patch.runName && { run_name: patch.runName }),
    })
    if (patch.runName) await tx.runs.setTags(runId, [{ key: 'mlflow.runName', value: patch.runName }])
    return getRun(tx, runId)
  })
}

export async function setRunLifecycle(deps: ServiceDeps, actor: Actor, runId: string, stage: 'active' | 'deleted'): Promise<void> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const row = await getRun(tx, runId)
    if (stage === 'active') {
      const experiment = await getExperiment(tx, String(row.experiment_id))
      if (experiment.lifecycle_stage !== 'active') throw new CanonError('INVALID_STATE', `Restore experiment ${experiment.id} before restoring its runs.`)
    }
    await tx.runs.update(runId, { lifecycle_stage: stage, deleted_time: stage === 'deleted' ? at : null })
    await tx.audit.append({ at, actor: actor.name, action: stage === 'deleted' ? 'run.delete' : 'run.restore', target: `run:${runId}` })
  })
}

/** MLflow's log-batch: params are write-once (same value again is fine), metrics append, tags overwrite. */
export async function logBatch(
  deps: ServiceDeps,
  runId: string,
  batch: { metrics?: MetricPoint[]; params?: { key: string; value: string }[]; tags?: { key: string; value: string }[] },
): Promise<void> {
  const metrics = batch.metrics ?? []
  const params = batch.params ?? []
  const tags = batch.tags ?? []
  if (metrics.length > 1000 || params.length > 100 || tags.length > 100 || metrics.length + params.length + tags.length > 1000) {
    throw new CanonError('INVALID_INPUT', 'A batch holds at most 1000 metrics, 100 params and 100 tags, 1000 items in all.')
  }
  for (const m of metrics) checkKey(m.key, 'metric')
  for (const p of params) {
    checkKey(p.key, 'param')
    if (p.value.length > 6000) throw new CanonError('INVALID_INPUT', `Param '${p.key}' is longer than 6000 characters.`)
  }
  for (const t of tags) {
    checkKey(t.key, 'tag')
    if (t.value.length > 8000) throw new CanonError('INVALID_INPUT', `Tag '${t.key}' is longer than 8000 characters.`)
  }
  const seen = new Map<string, string>()
  for (const p of params) {
    if (seen.has(p.key) && seen.get(p.key) !== p.value) throw new CanonError('INVALID_INPUT', `Param '${p.key}' appears twice in the batch with different values.`)
    seen.set(p.key, p.value)
  }
  await deps.store.transaction(async (tx) => {
    await activeRun(tx, runId)
    for (const [key, value] of seen) {
      const existing = await tx.runs.param(runId, key)
      if (existing !== undefined && existing !== value) {
        throw new CanonError('INVALID_INPUT', `Changing param values is not allowed. Param with key='${key}' was already logged with value='${existing.slice(0, 200)}' for run ID='${runId}'. Attempted logging new value '${value.slice(0, 200)}'.`)
      }
    }
    await tx.runs.insertParams(runId, [...seen].map(([key, value]) => ({ key, value })))
    await tx.runs.logMetrics(runId, metrics.map(toStoredMetric))
    await tx.runs.setTags(runId, tags)
  })
}

// NaN is kept as a flag (SQLite stores NaN as NULL); infinities are clamped to the largest double, as MLflow does.
function toStoredMetric(m: MetricPoint) {
  const isNan = Number.isNaN(m.value)
  const value = isNan ? 0 : Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, m.value))
  return { key: m.key, value, is_nan: isNan ? 1 : 0, timestamp: m.timestamp, step: m.step }
}

export async function deleteRunTag(deps: ServiceDeps, runId: string, key: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await activeRun(tx, runId)
    if (!(await tx.runs.deleteTag(runId, key))) throw new CanonError('TAG_NOT_FOUND', `No tag with name: ${key} in run with id ${runId}`, { runId, key })
  })
}

/** Appends the logged model's description to the run's `mlflow.log-model.history` tag, as MLflow's server does. */
export async function logModel(deps: ServiceDeps, runId: string, modelJson: string): Promise<void> {
  let model: unknown
  try {
    model = JSON.parse(modelJson)
  } catch {
    throw new CanonError('INVALID_INPUT', 'model_json is not valid JSON.')
  }
  if (!model || typeof model !== 'object' || Array.isArray(model)) throw new CanonError('INVALID_INPUT', 'model_json must be a JSON object.')
  await deps.store.transaction(async (tx) => {
    await activeRun(tx, runId)
    const details = await tx.runs.details([runId])
    const previous = details.tags.get(runId)?.['mlflow.log-model.history']
    let history: unknown[]
    try {
      const parsed: unknown = previous ? JSON.parse(previous) : []
      history = Array.isArray(parsed) ? parsed : []
    } catch {
      history = []
    }
    await tx.runs.setTags(runId, [{ key: 'mlflow.log-model.history', value: JSON.stringify([...history, model]) }])
  })
}

export interface DatasetInput {
  tags: { key: string; value: string }[]
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string }
}

export async function logInputs(deps: ServiceDeps, runId: string, inputs: DatasetInput[]): Promise<void> {
  for (const input of inputs) {
    const d = input.dataset
    if (!d?.name || !d.digest || !d.source_type || !d.source) throw new CanonError('INVALID_INPUT', 'Each dataset needs name, digest, source_type and source.')
  }
  await deps.store.transaction(async (tx) => {
    const run = await activeRun(tx, runId)
    for (const input of inputs) {
      const d = input.dataset
      const datasetId = await tx.runs.upsertDataset({
        experiment_id: run.experiment_id,
        name: d.name,
        digest: d.digest,
        source_type: d.source_type,
        source: d.source,
        schema: d.schema ?? null,
        profile: d.profile ?? null,
      })
      await tx.runs.addInput(runId, datasetId, JSON.stringify(input.tags ?? []))
    }
  })
}
