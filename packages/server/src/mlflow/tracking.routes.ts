import { allow, anywhere } from '../http/permission-rules'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { CanonError } from '../domain/errors'
import type { ServiceDeps } from '../services/context'
import {
  createExperiment,
  getExperiment,
  getExperimentByName,
  renameExperiment,
  setExperimentLifecycle,
  setExperimentTag,
} from '../services/tracking/experiments.service'
import { RUN_STATUSES, createRun, deleteRunTag, getRun, logBatch, logInputs, logModel, setRunLifecycle, updateRun, type RunStatus } from '../services/tracking/runs.service'
import { listArtifacts } from '../services/tracking/artifacts.service'
import { proxiedPath } from '../services/tracking/version-sources'
import { MlflowFields, toDouble } from './request-fields'
import { mlflowExperiment, mlflowMetricValue, mlflowRun, mlflowRunInfo } from './wire'
import { searchExperiments, searchRuns } from './tracking-search'

const runIdOf = (f: MlflowFields) => f.requiredString('run_id', 'run_uuid')

export async function trackingRoutes(app: FastifyInstance, { deps }: { deps: ServiceDeps }) {
  const experimentResponse = async (id: number) => {
    const row = await getExperiment(deps.store, String(id))
    const tags = await deps.store.experiments.tags([row.id])
    return { experiment: mlflowExperiment(row, tags.get(Number(row.id))) }
  }

  app.post('/experiments/create', { config: allow.write(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    const row = await createExperiment(deps, request.actor, { name: f.requiredString('name'), artifactLocation: f.optionalString('artifact_location') || undefined, tags: f.keyValues('tags') })
    return { experiment_id: String(row.id) }
  })

  app.get('/experiments/get', { config: allow.read(anywhere) }, async (request) => {
    const row = await getExperiment(deps.store, new MlflowFields(request).requiredString('experiment_id'))
    return experimentResponse(Number(row.id))
  })

  app.get('/experiments/get-by-name', { config: allow.read(anywhere) }, async (request) => {
    const row = await getExperimentByName(deps.store, new MlflowFields(request).requiredString('experiment_name'))
    return experimentResponse(Number(row.id))
  })

  app.post('/experiments/search', { config: allow.read(anywhere) }, async (request) => searchExperiments(deps, new MlflowFields(request)))
  app.get('/experiments/search', { config: allow.read(anywhere) }, async (request) => searchExperiments(deps, new MlflowFields(request)))

  app.post('/experiments/delete', { config: allow.write(anywhere) }, async (request) => {
    await setExperimentLifecycle(deps, request.actor, new MlflowFields(request).requiredString('experiment_id'), 'deleted')
    return {}
  })

  app.post('/experiments/restore', { config: allow.write(anywhere) }, async (request) => {
    await setExperimentLifecycle(deps, request.actor, new MlflowFields(request).requiredString('experiment_id'), 'active')
    return {}
  })

  app.post('/experiments/update', { config: allow.write(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    await renameExperiment(deps, request.actor, f.requiredString('experiment_id'), f.requiredString('new_name'))
    return {}
  })

  app.post('/experiments/set-experiment-tag', { config: allow.write(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    await setExperimentTag(deps, f.requiredString('experiment_id'), f.requiredString('key'), f.optionalString('value') ?? '')
    return {}
  })

  app.post('/runs/create', { config: allow.write(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    const row = await createRun(deps, request.actor, {
      experimentId: f.optionalString('experiment_id') ?? '0',
      userId: f.optionalString('user_id'),
      runName: f.optionalString('run_name') || undefined,
      startTime: f.optionalInteger('start_time'),
      tags: f.keyValues('tags'),
    })
    const details = await deps.store.runs.details([row.run_id])
    return { run: mlflowRun(row, details, { inputs: false }) }
  })

  app.get('/runs/get', { config: allow.read(anywhere) }, async (request) => {
    const row = await getRun(deps.store, runIdOf(new MlflowFields(request)))
    return { run: mlflowRun(row, await deps.store.runs.details([row.run_id]), { inputs: true }) }
  })

  app.post('/runs/update', { config: allow.write(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    const status = f.optionalString('status')
    if (status !== undefined && !(RUN_STATUSES as readonly string[]).includes(status)) {
      throw new CanonError('INVALID_INPUT', `Invalid value '${status.slice(0, 30)}' for parameter 'status': use one of ${RUN_STATUSES.join(', ')}.`)
    }
    const row = await updateRun(deps, runIdOf(f), { status: status as RunStatus | undefined, endTime: f.optionalInteger('end_time'), runName: f.optionalString('run_name') || undefined })
    return { run_info: mlflowRunInfo(row) }
  })

  app.post('/runs/delete', { config: allow.write(anywhere) }, async (request) => {
    await setRunLifecycle(deps, request.actor, runIdOf(new MlflowFields(request)), 'deleted')
    return {}
  })

  app.post('/runs/restore', { config: allow.write(anywhere) }, async (request) => {
    await setRunLifecycle(deps, request.actor, runIdOf(new MlflowFields(request)), 'active')
    return {}
  })

  app.post('/runs/search', { config: allow.read(anywhere) }, async (request) => searchRuns(deps, new MlflowFields(request)))

  app.post('/runs/log-metric', { config: allow.write(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    const value = f.optionalNumber('value')
    if (value === undefined) throw new CanonError('INVALID_INPUT', "Missing value for required parameter 'value'.")
    await logBatch(deps, runIdOf(f), { metrics: [{ key: f.requiredString('key'), value, timestamp: f.requiredInteger('timestamp'), step: f.optionalInteger('step') ?? 0 }] })
    return {}
  })

  app.post('/runs/log-parameter', { config: allow.write(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    await logBatch(deps, runIdOf(f), { params: [{ key: f.requiredString('key'), value: f.optionalString('value') ?? '' }] })
    return {}
  })

  app.post('/runs/set-tag', { config: allow.write(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    await logBatch(deps, runIdOf(f), { tags: [{ key: f.requiredString('key'), value: f.optionalString('value') ?? '' }] })
    return {}
  })

  app.post('/runs/delete-tag', { config: allow.write(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    await deleteRunTag(deps, runIdOf(f), f.requiredString('key'))
    return {}
  })

  app.post('/runs/log-batch', { config: allow.write(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    const metrics = f.objectList('metrics').map((m) => {
      if (typeof m.key !== 'string' || m.key === '' || m.value === undefined || m.timestamp === undefined) {
        throw new CanonError('INVALID_INPUT', 'Each metric in a batch needs key, value and timestamp.')
      }
      const timestamp = Number(m.timestamp)
      const step = m.step === undefined ? 0 : Number(m.step)
      if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(step)) throw new CanonError('INVALID_INPUT', `Metric '${m.key}' needs integer timestamp and step.`)
      return { key: m.key, value: toDouble('value', m.value), timestamp, step }
    })
    await logBatch(deps, runIdOf(f), { metrics, params: f.keyValues('params'), tags: f.keyValues('tags') })
    return {}
  })

  app.post('/runs/log-model', { config: allow.write(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    await logModel(deps, runIdOf(f), f.requiredString('model_json'))
    return {}
  })

  app.post('/runs/log-inputs', { config: allow.write(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    const datasets = f.objectList('datasets').map((d) => ({
      tags: Array.isArray(d.tags) ? (d.tags as { key: string; value: string }[]) : [],
      dataset: (d.dataset ?? {}) as never,
    }))
    await logInputs(deps, runIdOf(f), datasets)
    return {}
  })

  app.get('/metrics/get-history', { config: allow.read(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    const runId = runIdOf(f)
    await getRun(deps.store, runId)
    const points = await deps.store.runs.metricHistory(runId, f.requiredString('metric_key'), 100_000)
    const metrics = points.map((m) => ({ key: m.key, value: mlflowMetricValue(m.value, m.is_nan), timestamp: Number(m.timestamp), step: Number(m.step) }))
    return { metrics: metrics.length > 0 ? metrics : undefined }
  })

  app.get('/artifacts/list', { config: allow.read(anywhere) }, async (request: FastifyRequest) => {
    const f = new MlflowFields(request)
    const run = await getRun(deps.store, runIdOf(f))
    const relative = (f.optionalString('path') ?? '').replace(/^\/+|\/+$/g, '')
    const root = proxiedPath(run.artifact_uri)
    if (root === null) return { root_uri: run.artifact_uri }
    const listing = await listArtifacts(deps, [root, relative].filter(Boolean).join('/'))
    const files = listing.map((e) => ({ path: [relative, e.path].filter(Boolean).join('/'), is_dir: e.isDir, file_size: e.size || undefined }))
    return { root_uri: run.artifact_uri, files: files.length > 0 ? files : undefined }
  })
}
