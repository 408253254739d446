import { fixture, MODEL, VERSION } from './fixtures'
import { cursor, text, type BadRequest, type RouteTable } from './cases'

// Lineage, comparison, deployments and the native runs API.

const get = (behaviour: string, path: string, status: number, code: BadRequest['code']): BadRequest => ({ behaviour, method: 'GET', path, status, code })
const body = (method: string, path: string) => (behaviour: string, json: unknown, status: number, code: BadRequest['code']): BadRequest => ({ behaviour, method, path, json, status, code })
const invalid = 'INVALID_INPUT' as const

const DEPLOY = `/api/v1/deployments/${fixture.deployment}`
const deployment = { model: fixture.live, environment: 'prod', split: { '1': 100 } }
const put = body('PUT', DEPLOY)
const RUN = `/api/v1/runs/${fixture.missingRun}`
const lineageDepth = (path: string): BadRequest[] => [
  get('rejects depth 0', `${path}?depth=0`, 400, invalid),
  get('rejects a depth over 10', `${path}?depth=11`, 400, invalid),
  get('rejects a depth that is not a number', `${path}?depth=all`, 400, invalid),
]
const consumers = (query: string) => `/api/v1/datasets/consumers?uri=${encodeURIComponent(fixture.missingDataset)}&${query}`

export const lineageCases: RouteTable = {
  'GET /api/v1/models/{model}/versions/{version}/lineage': { params: { model: fixture.model, version: '1' }, query: true, cases: lineageDepth(`${VERSION}/lineage`) },
  'GET /api/v1/models/{model}/versions/{version}/descendants': { params: { model: fixture.model, version: '1' }, query: true, cases: lineageDepth(`${VERSION}/descendants`) },
  'GET /api/v1/datasets/consumers': {
    params: {},
    query: true,
    requiredQuery: `uri=${encodeURIComponent(fixture.missingDataset)}`,
    cases: [
      get('rejects a request without a dataset uri', '/api/v1/datasets/consumers', 400, invalid),
      get('answers DATASET_NOT_FOUND for a dataset no version records', `/api/v1/datasets/consumers?uri=${encodeURIComponent(fixture.missingDataset)}`, 404, 'DATASET_NOT_FOUND'),
      get('answers DATASET_NOT_FOUND for a known uri with an unknown digest', consumers('digest=nope'), 404, 'DATASET_NOT_FOUND'),
      get('rejects limit 0', consumers('limit=0'), 400, invalid),
      get('rejects serving that is not a boolean', consumers('serving=maybe'), 400, invalid),
      get('rejects an empty uri', '/api/v1/datasets/consumers?uri=', 400, 'INVALID_URI'),
    ],
  },
  'GET /api/v1/models/{model}/compare': {
    params: { model: fixture.model },
    query: true,
    requiredQuery: 'versions=1,2',
    cases: [
      get('rejects a request without versions', `${MODEL}/compare`, 400, invalid),
      get('rejects a single version', `${MODEL}/compare?versions=1`, 400, invalid),
      get('rejects a version that is not a number', `${MODEL}/compare?versions=1,latest`, 400, invalid),
      get('rejects the same version twice', `${MODEL}/compare?versions=1,1`, 400, invalid),
      get('rejects more than ten versions', `${MODEL}/compare?versions=${Array.from({ length: 11 }, (_, i) => i + 1).join(',')}`, 400, invalid),
      get('rejects version 0', `${MODEL}/compare?versions=0,1`, 400, invalid),
      get('answers VERSION_NOT_FOUND when one version does not exist', `${MODEL}/compare?versions=1,${fixture.missingVersion}`, 404, 'VERSION_NOT_FOUND'),
    ],
  },

  'GET /api/v1/deployments': {
    params: {},
    query: true,
    cases: [
      get('rejects limit 0', '/api/v1/deployments?limit=0', 400, invalid),
      get('rejects a forged cursor', `/api/v1/deployments?cursor=${cursor({ id: 'x' })}`, 400, 'INVALID_CURSOR'),
      get('answers MODEL_NOT_FOUND when filtering by a model that does not exist', `/api/v1/deployments?model=${fixture.missingModel}`, 404, 'MODEL_NOT_FOUND'),
    ],
  },
  'PUT /api/v1/deployments/{name}': {
    params: { name: fixture.deployment },
    body: deployment,
    cases: [
      put('rejects a split that sums to less than 100', { ...deployment, split: { '1': 90 } }, 400, 'INVALID_SPLIT'),
      put('rejects a split that sums to more than 100', { ...deployment, split: { '1': 60, '2': 50 } }, 400, 'INVALID_SPLIT'),
      put('rejects a weight over 100', { ...deployment, split: { '1': 101 } }, 400, invalid),
      put('rejects a negative weight', { ...deployment, split: { '1': -10 } }, 400, invalid),
      put('rejects a fractional weight', { ...deployment, split: { '1': 99.5 } }, 400, invalid),
      put('rejects a split keyed by something other than a version number', { ...deployment, split: { v1: 100 } }, 400, 'INVALID_SPLIT'),
      put('rejects an empty split', { ...deployment, split: {} }, 400, invalid),
      put('rejects a missing environment', { model: fixture.live, split: { '1': 100 } }, 400, invalid),
      put('rejects an environment with spaces', { ...deployment, environment: 'prod eu' }, 400, invalid),
      put('rejects an unknown status', { ...deployment, status: 'gone' }, 400, invalid),
      put('rejects a reason longer than 2000 characters', { ...deployment, reason: text(2001) }, 400, invalid),
      put('answers MODEL_NOT_FOUND for a model that does not exist', { ...deployment, model: fixture.missingModel }, 404, 'MODEL_NOT_FOUND'),
      put('answers VERSION_NOT_FOUND for a version the model does not have', { ...deployment, split: { '1': 50, [String(fixture.missingVersion)]: 50 } }, 404, 'VERSION_NOT_FOUND'),
      put("refuses to move a deployment to another model", { ...deployment, model: fixture.model }, 409, 'DEPLOYMENT_MODEL_MISMATCH'),
      body('PUT', '/api/v1/deployments/has%20space')('rejects a deployment name with a space', deployment, 400, 'INVALID_NAME'),
      body('PUT', '/api/v1/deployments/-dash-first')('rejects a deployment name that starts with a dash', deployment, 400, 'INVALID_NAME'),
    ],
  },
  'GET /api/v1/deployments/{name}': {
    params: { name: fixture.deployment },
    cases: [
      get('answers DEPLOYMENT_NOT_FOUND for a deployment that does not exist', `/api/v1/deployments/${fixture.missingDeployment}`, 404, 'DEPLOYMENT_NOT_FOUND'),
      get('rejects a name longer than 256 characters', `/api/v1/deployments/${text(257)}`, 400, invalid),
    ],
  },
  'DELETE /api/v1/deployments/{name}': {
    params: { name: fixture.deployment },
    query: true,
    cases: [
      { behaviour: 'answers DEPLOYMENT_NOT_FOUND for a deployment that does not exist', method: 'DELETE', path: `/api/v1/deployments/${fixture.missingDeployment}`, status: 404, code: 'DEPLOYMENT_NOT_FOUND' },
      { behaviour: 'rejects a reason longer than 2000 characters', method: 'DELETE', path: `${DEPLOY}?reason=${text(2001)}`, status: 400, code: invalid },
    ],
  },
  'GET /api/v1/deployments/{name}/history': {
    params: { name: fixture.deployment },
    query: true,
    cases: [
      get('answers DEPLOYMENT_NOT_FOUND for a deployment that never existed', `/api/v1/deployments/${fixture.missingDeployment}/history`, 404, 'DEPLOYMENT_NOT_FOUND'),
      get('rejects a forged cursor', `${DEPLOY}/history?cursor=${cursor({ id: 'x' })}`, 400, 'INVALID_CURSOR'),
      get('rejects limit 0', `${DEPLOY}/history?limit=0`, 400, invalid),
    ],
  },
  'GET /api/v1/deployments/{name}/route': {
    params: { name: fixture.deployment },
    query: true,
    requiredQuery: 'key=request-1',
    cases: [
      get('rejects a request without a key', `${DEPLOY}/route`, 400, invalid),
      get('rejects an empty key', `${DEPLOY}/route?key=`, 400, invalid),
      get('rejects a key longer than 1024 characters', `${DEPLOY}/route?key=${text(1025)}`, 400, invalid),
      get('answers DEPLOYMENT_NOT_FOUND for a deployment that does not exist', `/api/v1/deployments/${fixture.missingDeployment}/route?key=a`, 404, 'DEPLOYMENT_NOT_FOUND'),
    ],
  },

  'POST /api/v1/runs': {
    params: {},
    body: { experiment: 'bad-input-experiment' },
    cases: [
      body('POST', '/api/v1/runs')('rejects a run without an experiment', { name: 'r' }, 400, invalid),
      body('POST', '/api/v1/runs')('rejects an empty experiment name', { experiment: '' }, 400, invalid),
      body('POST', '/api/v1/runs')('rejects a param value that is not a string', { experiment: 'e', params: { depth: 6 } }, 400, invalid),
      body('POST', '/api/v1/runs')('rejects tags that are a list', { experiment: 'e', tags: ['a'] }, 400, invalid),
    ],
  },
  'GET /api/v1/runs/{run}': {
    params: { run: fixture.missingRun },
    cases: [
      get('answers RUN_NOT_FOUND for a run that does not exist', RUN, 404, 'RUN_NOT_FOUND'),
      get('rejects a run id longer than 64 characters', `/api/v1/runs/${text(65)}`, 400, invalid),
    ],
  },
  'POST /api/v1/runs/{run}/log': {
    params: { run: fixture.missingRun },
    body: { metrics: [{ key: 'auc', value: 0.9 }] },
    cases: [
      body('POST', `${RUN}/log`)('answers RUN_NOT_FOUND for a run that does not exist', { metrics: [{ key: 'auc', value: 0.9 }] }, 404, 'RUN_NOT_FOUND'),
      body('POST', `${RUN}/log`)('rejects an empty log', {}, 400, invalid),
      body('POST', `${RUN}/log`)('rejects a metric value that is a string', { metrics: [{ key: 'auc', value: 'high' }] }, 400, invalid),
      body('POST', `${RUN}/log`)('rejects a negative step', { metrics: [{ key: 'auc', value: 1, step: -1 }] }, 400, invalid),
      body('POST', `${RUN}/log`)('rejects a metric without a key', { metrics: [{ value: 1 }] }, 400, invalid),
      body('POST', `${RUN}/log`)('rejects a dataset that is not a URI', { datasets: [{ uri: 'churn events', digest: 'd' }] }, 400, 'INVALID_URI'),
      body('POST', `${RUN}/log`)('rejects a dataset without a digest', { datasets: [{ uri: 'dataset://churn/1' }] }, 400, invalid),
    ],
  },
  'GET /api/v1/runs/{run}/metrics/{key}': {
    params: { run: fixture.missingRun, key: 'auc' },
    cases: [get('answers RUN_NOT_FOUND for a run that does not exist', `${RUN}/metrics/auc`, 404, 'RUN_NOT_FOUND')],
  },
  'POST /api/v1/runs/{run}/end': {
    params: { run: fixture.missingRun },
    body: {},
    cases: [
      body('POST', `${RUN}/end`)('answers RUN_NOT_FOUND for a run that does not exist', {}, 404, 'RUN_NOT_FOUND'),
      body('POST', `${RUN}/end`)('rejects a status a run cannot end in', { status: 'RUNNING' }, 400, invalid),
    ],
  },
  'POST /api/v1/runs/{run}/register': {
    params: { run: fixture.missingRun },
    body: { model: fixture.model },
    cases: [
      body('POST', `${RUN}/register`)('answers RUN_NOT_FOUND for a run that does not exist', { model: fixture.model }, 404, 'RUN_NOT_FOUND'),
      body('POST', `${RUN}/register`)('rejects a request without a model', { path: 'model' }, 400, invalid),
      body('POST', `${RUN}/register`)('rejects a parent version 0', { model: fixture.model, lineage: { parent: { model: fixture.model, version: 0 } } }, 400, invalid),
      body('POST', `${RUN}/register`)('rejects an environment package list that is a string', { model: fixture.model, lineage: { environment: { packages: 'numpy' } } }, 400, invalid),
      body('POST', `${RUN}/register`)('rejects a dirty flag that is a string', { model: fixture.model, lineage: { code: { dirty: 'yes' } } }, 400, invalid),
    ],
  },
  'PUT /api/v1/runs/{run}/artifacts/{*}': {
    params: { run: fixture.missingRun, '*': 'model/model.bin' },
    cases: [
      { behaviour: 'answers RUN_NOT_FOUND for a run that does not exist', method: 'PUT', path: `${RUN}/artifacts/model.bin`, raw: 'x', contentType: 'application/octet-stream', status: 404, code: 'RUN_NOT_FOUND' },
      { behaviour: 'refuses an artifact path that climbs with ..', method: 'PUT', path: `${RUN}/artifacts/a/%2E%2E/%2E%2E/b`, raw: 'x', contentType: 'application/octet-stream', status: 400, code: 'INVALID_PATH' },
    ],
  },
}

