import { beforeAll, describe, expect, it } from 'vitest'
import { backends } from '../support/backends'
import { AJAX, API, ARTIFACTS, createRun, expectMlflowError, itAnsweredLikeMlflowThroughout, useCanonServer } from './mlflow-http'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/**
 * Every MLflow JSON endpoint Canon serves, with a request that lacks one required field (named last).
 * Fields for GET go in the query string, for every other method in the JSON body.
 */
const missingField: [Method, string, Record<string, unknown>, string][] = [
  ['POST', '/registered-models/create', {}, 'name'],
  ['GET', '/registered-models/get', {}, 'name'],
  ['POST', '/registered-models/rename', { name: 'm' }, 'new_name'],
  ['PATCH', '/registered-models/update', { description: 'd' }, 'name'],
  ['DELETE', '/registered-models/delete', {}, 'name'],
  ['POST', '/registered-models/set-tag', { name: 'm', value: 'v' }, 'key'],
  ['DELETE', '/registered-models/delete-tag', { name: 'm' }, 'key'],
  ['POST', '/registered-models/get-latest-versions', {}, 'name'],
  ['GET', '/registered-models/get-latest-versions', { stages: 'None' }, 'name'],
  ['POST', '/registered-models/alias', { name: 'm', alias: 'a' }, 'version'],
  ['GET', '/registered-models/alias', { name: 'm' }, 'alias'],
  ['DELETE', '/registered-models/alias', { alias: 'a' }, 'name'],
  ['POST', '/model-versions/create', { name: 'm' }, 'source'],
  ['GET', '/model-versions/get', { name: 'm' }, 'version'],
  ['PATCH', '/model-versions/update', { name: 'm', description: 'd' }, 'version'],
  ['POST', '/model-versions/transition-stage', { name: 'm', version: '1' }, 'stage'],
  ['DELETE', '/model-versions/delete', { version: '1' }, 'name'],
  ['POST', '/model-versions/set-tag', { name: 'm', version: '1', value: 'v' }, 'key'],
  ['DELETE', '/model-versions/delete-tag', { name: 'm', version: '1' }, 'key'],
  ['GET', '/model-versions/get-download-uri', { version: '1' }, 'name'],
  ['POST', '/experiments/create', {}, 'name'],
  ['GET', '/experiments/get', {}, 'experiment_id'],
  ['GET', '/experiments/get-by-name', {}, 'experiment_name'],
  ['POST', '/experiments/delete', {}, 'experiment_id'],
  ['POST', '/experiments/restore', {}, 'experiment_id'],
  ['POST', '/experiments/update', { experiment_id: '0' }, 'new_name'],
  ['POST', '/experiments/set-experiment-tag', { experiment_id: '0', value: 'v' }, 'key'],
  ['GET', '/runs/get', {}, 'run_id'],
  ['POST', '/runs/update', { status: 'FINISHED' }, 'run_id'],
  ['POST', '/runs/delete', {}, 'run_id'],
  ['POST', '/runs/restore', {}, 'run_id'],
  ['POST', '/runs/log-metric', { run_id: 'RUN', value: 1, timestamp: 1 }, 'key'],
  ['POST', '/runs/log-metric', { run_id: 'RUN', key: 'm', value: 1 }, 'timestamp'],
  ['POST', '/runs/log-parameter', { run_id: 'RUN', value: 'v' }, 'key'],
  ['POST', '/runs/set-tag', { run_id: 'RUN', value: 'v' }, 'key'],
  ['POST', '/runs/delete-tag', { run_id: 'RUN' }, 'key'],
  ['POST', '/runs/log-batch', { metrics: [] }, 'run_id'],
  ['POST', '/runs/log-model', { run_id: 'RUN' }, 'model_json'],
  ['POST', '/runs/log-inputs', { datasets: [] }, 'run_id'],
  ['GET', '/metrics/get-history', { run_id: 'RUN' }, 'metric_key'],
  ['GET', '/artifacts/list', {}, 'run_id'],
]

for (const backend of backends) {
  describe(`MLflow error answers (${backend})`, () => {
    const canon = useCanonServer(backend)
    let runId: string

    beforeAll(async () => {
      ;({ runId } = await createRun(canon.mlflow))
      await canon.mlflow.post('/registered-models/create', { name: 'm' })
      await canon.mlflow.post('/model-versions/create', { name: 'm', source: 's3://bucket/m/1' })
    })

    const call = (method: Method, endpoint: string, fields: Record<string, unknown>) => {
      const { mlflow } = canon
      const withRun = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === 'RUN' ? runId : v]))
      if (method === 'GET') return mlflow.get(endpoint, withRun as never)
      return method === 'POST' ? mlflow.post(endpoint, withRun) : method === 'PATCH' ? mlflow.patch(endpoint, withRun) : mlflow.delete(endpoint, withRun)
    }

    describe('a missing required field', () => {
      it.each(missingField.map(([method, endpoint, fields, field]) => ({ method, endpoint, fields, field })))(
        '$method $endpoint without $field: 400 INVALID_PARAMETER_VALUE naming the field',
        async ({ method, endpoint, fields, field }) => {
          expectMlflowError(await call(method, endpoint, fields), 400, 'INVALID_PARAMETER_VALUE', `'${field}'`)
        },
      )

      it('treats an empty string like a missing value, as MLflow does', async () => {
        expectMlflowError(await canon.mlflow.post('/registered-models/create', { name: '' }), 400, 'INVALID_PARAMETER_VALUE', "'name'")
        expectMlflowError(await canon.mlflow.get('/registered-models/get', { name: '' }), 400, 'INVALID_PARAMETER_VALUE', "'name'")
        expectMlflowError(await canon.mlflow.post('/experiments/create', { name: '' }), 400, 'INVALID_PARAMETER_VALUE', "'name'")
      })

      it('accepts run_uuid in place of run_id', async () => {
        expect((await canon.mlflow.get('/runs/get', { run_uuid: runId })).status).toBe(200)
        expect((await canon.mlflow.post('/runs/set-tag', { run_uuid: runId, key: 'k', value: 'v' })).status).toBe(200)
      })
    })

    describe('things that do not exist', () => {
      it.each<[Method, string, Record<string, unknown>]>([
        ['GET', '/registered-models/get', { name: 'nobody' }],
        ['GET', '/model-versions/get', { name: 'm', version: '42' }],
        ['GET', '/model-versions/get', { name: 'nobody', version: '1' }],
        ['GET', '/experiments/get', { experiment_id: '4242' }],
        ['GET', '/experiments/get-by-name', { experiment_name: 'nobody' }],
        ['GET', '/runs/get', { run_id: 'f'.repeat(32) }],
        ['POST', '/runs/log-metric', { run_id: 'f'.repeat(32), key: 'm', value: 1, timestamp: 1 }],
        ['GET', '/metrics/get-history', { run_id: 'f'.repeat(32), metric_key: 'm' }],
        ['DELETE', '/registered-models/delete', { name: 'nobody' }],
        ['DELETE', '/model-versions/delete', { name: 'm', version: '42' }],
      ])('%s %s %j: 404 RESOURCE_DOES_NOT_EXIST', async (method, endpoint, fields) => {
        expectMlflowError(await call(method, endpoint, fields), 404, 'RESOURCE_DOES_NOT_EXIST')
      })
    })

    describe('things that already exist', () => {
      it('answers RESOURCE_ALREADY_EXISTS with HTTP 400 for models and experiments, on both prefixes', async () => {
        expectMlflowError(await canon.mlflow.post('/registered-models/create', { name: 'm' }), 400, 'RESOURCE_ALREADY_EXISTS')
        expectMlflowError(await canon.mlflow.ajax.post('/registered-models/create', { name: 'm' }), 400, 'RESOURCE_ALREADY_EXISTS')
        expectMlflowError(await canon.mlflow.post('/experiments/create', { name: 'Default' }), 400, 'RESOURCE_ALREADY_EXISTS')
      })
    })

    describe('values of the wrong kind', () => {
      it.each<[Method, string, Record<string, unknown>]>([
        ['GET', '/model-versions/get', { name: 'm', version: 'latest' }],
        ['POST', '/registered-models/alias', { name: 'm', alias: 'ok', version: 'x' }],
        ['POST', '/runs/log-metric', { run_id: 'RUN', key: 'm', value: 'high', timestamp: 1 }],
        ['POST', '/runs/log-metric', { run_id: 'RUN', key: 'm', value: 1, timestamp: 'noon' }],
        ['POST', '/runs/create', { experiment_id: '0', start_time: 'soon' }],
        ['POST', '/runs/log-batch', { run_id: 'RUN', params: 'alpha=1' }],
        ['POST', '/runs/log-batch', { run_id: 'RUN', metrics: [{ key: 'm', value: 1, timestamp: 'x' }] }],
        ['POST', '/model-versions/transition-stage', { name: 'm', version: '1', stage: 'Staging', archive_existing_versions: 'maybe' }],
        ['POST', '/registered-models/create', { name: 'tags-not-a-list', tags: { team: 'ml' } }],
        ['POST', '/registered-models/create', { name: { first: 'a' } }],
        ['GET', '/registered-models/search', { max_results: 'many' }],
      ])('%s %s %j: 400 INVALID_PARAMETER_VALUE', async (method, endpoint, fields) => {
        expectMlflowError(await call(method, endpoint, fields), 400, 'INVALID_PARAMETER_VALUE')
      })

      it('answers a body that is not JSON with 400 INVALID_PARAMETER_VALUE', async () => {
        const response = await canon.mlflow.send('POST', `${API}/registered-models/create`, { body: '{"name": ', headers: { 'content-type': 'application/json' } })
        expectMlflowError(response, 400, 'INVALID_PARAMETER_VALUE')
      })

      it('answers a POST that is not application/json with 400 INVALID_PARAMETER_VALUE', async () => {
        const response = await canon.mlflow.send('POST', `${API}/registered-models/create`, { body: 'name=plain', headers: { 'content-type': 'text/plain' } })
        expectMlflowError(response, 400, 'INVALID_PARAMETER_VALUE')
      })

      it('reads a JSON string body that itself holds JSON, as legacy clients send it', async () => {
        const response = await canon.mlflow.send('POST', `${API}/registered-models/create`, { json: JSON.stringify({ name: 'double-encoded' }) })
        expect(response.status).toBe(200)
        expect(response.body.registered_model.name).toBe('double-encoded')
      })
    })

    describe('endpoints that do not exist', () => {
      it.each([
        ['GET', `${API}/no-such-thing`],
        ['POST', `${API}/experiments/list`],
        ['GET', `${API}/experiments/list`],
        ['POST', `${AJAX}/registered-models/unknown`],
        ['GET', `${API}/model-versions`],
        ['POST', `${ARTIFACTS}/no-such-thing`],
      ])('%s %s: 404 ENDPOINT_NOT_FOUND as JSON', async (method, path) => {
        expectMlflowError(await canon.mlflow.send(method, path, method === 'GET' ? {} : { json: {} }), 404, 'ENDPOINT_NOT_FOUND')
      })

      it.each([
        ['GET', '/registered-models/create'],
        ['POST', '/registered-models/get'],
        ['PUT', '/registered-models/update'],
        ['GET', '/runs/log-metric'],
      ])('%s on %s, which takes another method: ENDPOINT_NOT_FOUND as JSON', async (method, endpoint) => {
        const response = await canon.mlflow.send(method, API + endpoint, method === 'GET' ? {} : { json: {} })
        expect([404, 405]).toContain(response.status)
        expect(response.body).toEqual({ error_code: 'ENDPOINT_NOT_FOUND', message: expect.any(String) })
      })
    })

    describe('the error shape', () => {
      it('is exactly {error_code, message} with an application/json content type', async () => {
        const response = await canon.mlflow.get('/registered-models/get', { name: 'nobody' })
        expect(response.headers.get('content-type')).toMatch(/^application\/json/)
        expect(response.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: expect.stringContaining('nobody') })
      })
    })

    itAnsweredLikeMlflowThroughout(canon)
  })
}
