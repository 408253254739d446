import type { Readable } from 'node:stream'
import type { CreateRunInput, LogRunInput, MetricHistory, RegisterRunInput, Run, Version } from '@canon/api'
import { CanonError } from '../../domain/errors'
import type { Repos } from '../../store/metadata-store'
import type { Actor, ServiceDeps } from '../context'
import { createModel } from '../models.service'
import { createVersion } from '../versions.service'
import { lineageFromRun } from '../lineage-record'
import { checkLineage } from '../../domain/lineage-validation'
import { checkFilePath } from '../../domain/validation'
import { datasetName } from '../lineage-record'
import { createExperiment } from './experiments.service'
import { createRun, getRun, logBatch, logInputs, updateRun } from './runs.service'
import { findArtifact, manifestUnder, putArtifact } from './artifacts.service'
import { proxiedPath } from './version-sources'
import { runSummary } from './run-summary'

// The native face of tracking: the same runs the MLflow face records, in the shape a training script wants.


export async function startRun(deps: ServiceDeps, actor: Actor, input: CreateRunInput): Promise<Run> {
  const experiment = await experimentNamed(deps, actor, input.experiment)
  const tags = Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value }))
  const run = await createRun(deps, actor, { experimentId: String(experiment), runName: input.name, tags })
  if (input.params && Object.keys(input.params).length > 0) {
    await logBatch(deps, run.run_id, { params: Object.entries(input.params).map(([key, value]) => ({ key, value })) })
  }
  return runView(deps.store, run.run_id)
}

async function experimentNamed(deps: ServiceDeps, actor: Actor, name: string): Promise<number> {
  const existing = await deps.store.experiments.byName(name)
  if (existing) {
    if (existing.lifecycle_stage !== 'active') throw new CanonError('INVALID_STATE', `Experiment '${name}' is deleted; restore it or use another name.`, { experiment: name })
    return Number(existing.id)
  }
  try {
    return Number((await createExperiment(deps, actor, { name })).id)
  } catch (error) {
    // created by a concurrent request since we looked
    const raced = await deps.store.experiments.byName(name)
    if (raced) return Number(raced.id)
    throw error
  }
}

export async function runView(store: Repos, runId: string): Promise<Run> {
  const run = await getRun(store, runId)
  const [details, experiment] = await Promise.all([store.runs.details([runId]), store.experiments.byId(Number(run.experiment_id))])
  const lineage = lineageFromRun(runId, details)
  return {
    id: run.run_id,
    experiment: { id: String(run.experiment_id), name: experiment?.name ?? '' },
    ...runSummary(run, details),
    artifactUri: run.artifact_uri,
    tags: details.tags.get(runId) ?? {},
    datasets: (lineage.datasets ?? []).map((d) => ({ uri: d.uri, digest: d.digest, role: d.role ?? 'training' })),
  }
}

/** Params (write-once), metrics (appended, with steps), tags and datasets, in one call. */
export async function logToRun(deps: ServiceDeps, runId: string, input: LogRunInput): Promise<Run> {
  const now = deps.clock()
  const metrics = (input.metrics ?? []).map((m) => ({ key: m.key, value: m.value, step: m.step ?? 0, timestamp: m.timestamp ?? now }))
  const params = Object.entries(input.params ?? {}).map(([key, value]) => ({ key, value }))
  const tags = Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value }))
  if (metrics.length + params.length + tags.length > 0) await logBatch(deps, runId, { metrics, params, tags })
  if (input.datasets && input.datasets.length > 0) {
    const datasets = checkLineage({ datasets: input.datasets }).datasets ?? []
    await logInputs(
      deps,
      runId,
      datasets.map((d) => ({
        tags: [{ key: 'mlflow.data.context', value: d.role ?? 'training' }],
        dataset: { name: datasetName(d.uri), digest: d.digest, source_type: 'uri', source: JSON.stringify({ uri: d.uri }) },
      })),
    )
  }
  return runView(deps.store, runId)
}

export async function endRun(deps: ServiceDeps, runId: string, status: 'FINISHED' | 'FAILED' | 'KILLED' = 'FINISHED'): Promise<Run> {
  await updateRun(deps, runId, { status, endTime: deps.clock() })
  return runView(deps.store, runId)
}

/** Stores one artifact file under the run's artifact root, content-addressed like every other file. */
export async function logArtifact(deps: ServiceDeps, runId: string, path: string, body: Readable): Promise<{ path: string; size: number; digest: string }> {
  checkFilePath(path)
  const root = await artifactRoot(deps, runId)
  const full = `${root}/${path}`
  await putArtifact(deps, full, body)
  const stored = await findArtifact(deps, full)
  return { path, size: stored.size, digest: stored.digest }
}

async function artifactRoot(deps: ServiceDeps, runId: string): Promise<string> {
  const run = await getRun(deps.store, runId)
  const root = proxiedPath(run.artifact_uri)
  if (root === null) throw new CanonError('INVALID_STATE', `Run ${runId} keeps its artifacts outside Canon (${run.artifact_uri.slice(0, 200)}); log them there, or use an experiment with Canon's default artifact root.`, { runId })
  return root
}

/** Registers the run's artifacts (all, or one directory) as a new version of the model, creating the model if needed. */
export async function registerFromRun(deps: ServiceDeps, actor: Actor, runId: string, input: RegisterRunInput): Promise<Version> {
  const root = await artifactRoot(deps, runId)
  const path = (input.path ?? '').replace(/^\/+|\/+$/g, '')
  const files = await manifestUnder(deps, path ? `${root}/${path}` : root)
  if (files.length === 0) {
    throw new CanonError('INVALID_STATE', `Run ${runId} has no artifacts${path ? ` under '${path}'` : ''} to register; log the model files first.`, { runId, path })
  }
  if (!(await deps.store.models.byName(input.model))) {
    await createModel(deps, actor, { name: input.model }).catch(async (error: unknown) => {
      if (!(await deps.store.models.byName(input.model))) throw error
    })
  }
  return createVersion(deps, actor, input.model, {
    files,
    runId,
    source: `runs:/${runId}${path ? `/${path}` : ''}`,
    description: input.description,
    tags: input.tags,
    lineage: input.lineage,
  })
}

export async function metricHistory(deps: Pick<ServiceDeps, 'store'>, runId: string, key: string): Promise<MetricHistory> {
  await getRun(deps.store, runId)
  const points = await deps.store.runs.metricHistory(runId, key, 100_000)
  return { key, history: points.map((p) => ({ value: p.is_nan ? null : p.value, step: Number(p.step), timestamp: Number(p.timestamp) })) }
}
