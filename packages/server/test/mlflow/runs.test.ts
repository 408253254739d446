import { describe, expect, it } from 'vitest'
import { backends } from '../support/backends'
import { enc } from '../support/http'
import { createRun, expectMlflowError, itAnsweredLikeMlflowThroughout, logArtifacts, modelFiles, useCanonServer, type MlflowHttp } from './mlflow-http'

/** `MlflowClient.get_run`: both spellings of the id in the query string. */
const getRun = async (mlflow: MlflowHttp, runId: string) => (await mlflow.get('/runs/get', { run_uuid: runId, run_id: runId })).body.run
const tagsOf = (run: any) => Object.fromEntries((run.data.tags ?? []).map((t: any) => [t.key, t.value]))
const paramsOf = (run: any) => Object.fromEntries((run.data.params ?? []).map((p: any) => [p.key, p.value]))
const metricsOf = (run: any) => Object.fromEntries((run.data.metrics ?? []).map((m: any) => [m.key, m.value]))
const history = async (mlflow: MlflowHttp, runId: string, key: string) =>
  mlflow.get('/metrics/get-history', { run_uuid: runId, metric_key: key, run_id: runId, max_results: 25000 })

const dataset = {
  tags: [
    { key: 'split', value: 'train' },
    { key: 'mlflow.data.context', value: 'training' },
  ],
  dataset: {
    name: 'churn-train',
    digest: 'cc96acfa',
    source_type: 'local',
    source: '{"uri": "/data/train.csv"}',
    schema: '{"mlflow_colspec": [{"type": "double", "name": "x1", "required": true}]}',
    profile: '{"num_rows": 8, "num_elements": 24}',
  },
}

for (const backend of backends) {
  describe(`MLflow runs (${backend})`, () => {
    const canon = useCanonServer(backend)

    describe('creating and reading runs', () => {
      it('creates a run as the Python client does and answers MLflow’s run shape, without inputs', async () => {
        const created = await canon.mlflow.post('/runs/create', {
          experiment_id: '0',
          user_id: 'ana',
          run_name: 'sklearn-v1',
          start_time: 1_700_000_000_000,
          tags: [
            { key: 'mlflow.user', value: 'ana' },
            { key: 'mlflow.source.type', value: 'LOCAL' },
            { key: 'mlflow.runName', value: 'sklearn-v1' },
          ],
        })
        expect(created.status).toBe(200)
        const { info, data } = created.body.run
        expect(info).toEqual({
          run_uuid: info.run_id,
          run_id: info.run_id,
          experiment_id: '0',
          run_name: 'sklearn-v1',
          user_id: 'ana',
          status: 'RUNNING',
          start_time: 1_700_000_000_000,
          artifact_uri: `mlflow-artifacts:/0/${info.run_id}/artifacts`,
          lifecycle_stage: 'active',
        })
        expect(info.run_id).toMatch(/^[0-9a-f]{32}$/)
        expect(tagsOf({ data })).toEqual({ 'mlflow.user': 'ana', 'mlflow.source.type': 'LOCAL', 'mlflow.runName': 'sklearn-v1' })
        expect(created.body.run).not.toHaveProperty('inputs')

        const got = await getRun(canon.mlflow, info.run_id)
        expect(got.info).toEqual(info)
        expect(got.inputs).toEqual({})
      })

      it('names a run without a name adjective-noun-number and records it as the mlflow.runName tag', async () => {
        const { runId, info } = await createRun(canon.mlflow)
        expect(info.run_name).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/)
        expect(tagsOf(await getRun(canon.mlflow, runId))['mlflow.runName']).toBe(info.run_name)
      })

      it('refuses a run_name that contradicts the mlflow.runName tag, and an experiment that does not exist', async () => {
        expectMlflowError(await canon.mlflow.post('/runs/create', { experiment_id: '0', run_name: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] }), 400, 'INVALID_PARAMETER_VALUE')
        expectMlflowError(await canon.mlflow.post('/runs/create', { experiment_id: '424242', start_time: 1 }), 404, 'RESOURCE_DOES_NOT_EXIST')
      })

      it('answers 404 RESOURCE_DOES_NOT_EXIST for a run that does not exist', async () => {
        expectMlflowError(await canon.mlflow.get('/runs/get', { run_uuid: '0'.repeat(32), run_id: '0'.repeat(32) }), 404, 'RESOURCE_DOES_NOT_EXIST', `Run with id=${'0'.repeat(32)} not found`)
      })

      it('finishes a run with update, and renames it along with its mlflow.runName tag', async () => {
        const { runId } = await createRun(canon.mlflow)
        const finished = await canon.mlflow.post('/runs/update', { run_uuid: runId, status: 'FINISHED', end_time: 1_700_000_100_000, run_id: runId })
        expect(finished.status).toBe(200)
        expect(finished.body.run_info).toMatchObject({ run_id: runId, run_uuid: runId, status: 'FINISHED', end_time: 1_700_000_100_000, lifecycle_stage: 'active' })

        await canon.mlflow.post('/runs/update', { run_id: runId, run_name: 'renamed' })
        const run = await getRun(canon.mlflow, runId)
        expect(run.info).toMatchObject({ run_name: 'renamed', status: 'FINISHED' })
        expect(tagsOf(run)['mlflow.runName']).toBe('renamed')

        expectMlflowError(await canon.mlflow.post('/runs/update', { run_id: runId, status: 'DONE' }), 400, 'INVALID_PARAMETER_VALUE')
        expectMlflowError(await canon.mlflow.post('/runs/update', { run_id: '0'.repeat(32), status: 'FINISHED' }), 404, 'RESOURCE_DOES_NOT_EXIST')
      })

      it('deletes and restores a run; a deleted run still reads but takes no more logging', async () => {
        const { runId } = await createRun(canon.mlflow)
        expect((await canon.mlflow.post('/runs/delete', { run_id: runId })).body).toEqual({})
        expect((await getRun(canon.mlflow, runId)).info.lifecycle_stage).toBe('deleted')
        expectMlflowError(await canon.mlflow.post('/runs/log-metric', { run_id: runId, key: 'm', value: 1, timestamp: 1 }), 400, 'INVALID_PARAMETER_VALUE')
        expectMlflowError(await canon.mlflow.post('/runs/set-tag', { run_id: runId, key: 'k', value: 'v' }), 400, 'INVALID_PARAMETER_VALUE')
        expect((await canon.mlflow.post('/runs/restore', { run_id: runId })).body).toEqual({})
        expect((await getRun(canon.mlflow, runId)).info.lifecycle_stage).toBe('active')
        expectMlflowError(await canon.mlflow.post('/runs/delete', { run_id: '0'.repeat(32) }), 404, 'RESOURCE_DOES_NOT_EXIST')
      })
    })

    describe('logging to a run', () => {
      it('records metric history by step, shows the latest value on the run, and spells NaN as "NaN"', async () => {
        const { runId } = await createRun(canon.mlflow)
        const points = [0.9, 0.7, 0.45, 0.3]
        for (const [step, value] of points.entries()) {
          const logged = await canon.mlflow.post('/runs/log-metric', { run_uuid: runId, key: 'loss', value, timestamp: 1_700_000_000_000 + step, step, run_id: runId })
          expect(logged.status).toBe(200)
          expect(logged.body).toEqual({})
        }
        await canon.mlflow.post('/runs/log-metric', { run_id: runId, key: 'diverged', value: 'NaN', timestamp: 1_700_000_000_000, step: 0 })
        await canon.mlflow.post('/runs/log-metric', { run_id: runId, key: 'huge', value: 'Infinity', timestamp: 1_700_000_000_000 })

        const loss = await history(canon.mlflow, runId, 'loss')
        expect(loss.status).toBe(200)
        expect(loss.body.metrics).toEqual(points.map((value, step) => ({ key: 'loss', value, timestamp: 1_700_000_000_000 + step, step })))
        expect((await history(canon.mlflow, runId, 'diverged')).body.metrics).toEqual([{ key: 'diverged', value: 'NaN', timestamp: 1_700_000_000_000, step: 0 }])
        // MLflow clamps infinities to the largest double before storing them.
        expect((await history(canon.mlflow, runId, 'huge')).body.metrics[0].value).toBe(Number.MAX_VALUE)
        expect(metricsOf(await getRun(canon.mlflow, runId))).toEqual({ loss: 0.3, diverged: 'NaN', huge: Number.MAX_VALUE })
        expect((await history(canon.mlflow, runId, 'never-logged')).body).toEqual({})
        expectMlflowError(await history(canon.mlflow, '0'.repeat(32), 'loss'), 404, 'RESOURCE_DOES_NOT_EXIST')
      })

      it('keeps a parameter’s first value: the same value again is fine, a different one is INVALID_PARAMETER_VALUE', async () => {
        const { runId } = await createRun(canon.mlflow)
        expect((await canon.mlflow.post('/runs/log-parameter', { run_uuid: runId, key: 'alpha', value: '0.5', run_id: runId })).body).toEqual({})
        expect((await canon.mlflow.post('/runs/log-parameter', { run_id: runId, key: 'alpha', value: '0.5' })).status).toBe(200)
        expectMlflowError(await canon.mlflow.post('/runs/log-parameter', { run_id: runId, key: 'alpha', value: '0.9' }), 400, 'INVALID_PARAMETER_VALUE', 'Changing param values is not allowed')
        expect(paramsOf(await getRun(canon.mlflow, runId))).toEqual({ alpha: '0.5' })
      })

      it('logs metrics, params and tags in one batch', async () => {
        const { runId } = await createRun(canon.mlflow)
        const batch = await canon.mlflow.post('/runs/log-batch', {
          run_id: runId,
          metrics: [
            { key: 'acc', value: 0.8, timestamp: 1_700_000_000_000, step: 0 },
            { key: 'acc', value: 0.85, timestamp: 1_700_000_000_001, step: 1 },
            { key: 'f1', value: 0.7, timestamp: 1_700_000_000_000, step: 0 },
          ],
          params: [
            { key: 'batch_size', value: '32' },
            { key: 'epochs', value: '4' },
          ],
          tags: [{ key: 'stage', value: 'train' }],
        })
        expect(batch.status).toBe(200)
        expect(batch.body).toEqual({})
        const run = await getRun(canon.mlflow, runId)
        expect(metricsOf(run)).toEqual({ acc: 0.85, f1: 0.7 })
        expect(paramsOf(run)).toEqual({ batch_size: '32', epochs: '4' })
        expect(tagsOf(run).stage).toBe('train')
        expect((await history(canon.mlflow, runId, 'acc')).body.metrics.map((m: any) => m.step)).toEqual([0, 1])
      })

      it('refuses a batch that changes a param, overflows MLflow’s limits or names a key MLflow refuses', async () => {
        const { runId } = await createRun(canon.mlflow)
        await canon.mlflow.post('/runs/log-batch', { run_id: runId, params: [{ key: 'lr', value: '0.1' }] })
        expectMlflowError(await canon.mlflow.post('/runs/log-batch', { run_id: runId, params: [{ key: 'lr', value: '0.2' }] }), 400, 'INVALID_PARAMETER_VALUE')
        const tooMany = Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, timestamp: 1, step: i }))
        expectMlflowError(await canon.mlflow.post('/runs/log-batch', { run_id: runId, metrics: tooMany }), 400, 'INVALID_PARAMETER_VALUE')
        expectMlflowError(await canon.mlflow.post('/runs/log-batch', { run_id: runId, metrics: [{ key: 'bad key!', value: 1, timestamp: 1 }] }), 400, 'INVALID_PARAMETER_VALUE')
        expectMlflowError(await canon.mlflow.post('/runs/log-batch', { run_id: runId, params: [{ key: '../escape', value: '1' }] }), 400, 'INVALID_PARAMETER_VALUE')
        expectMlflowError(await canon.mlflow.post('/runs/log-batch', { run_id: runId, metrics: [{ key: 'm', value: 1 }] }), 400, 'INVALID_PARAMETER_VALUE')
        expect(paramsOf(await getRun(canon.mlflow, runId))).toEqual({ lr: '0.1' })
      })

      it('sets, overwrites and deletes run tags; deleting a tag that is not there is 404', async () => {
        const { runId } = await createRun(canon.mlflow)
        expect((await canon.mlflow.post('/runs/set-tag', { run_uuid: runId, key: 'reviewed', value: 'no', run_id: runId })).body).toEqual({})
        await canon.mlflow.post('/runs/set-tag', { run_id: runId, key: 'reviewed', value: 'yes' })
        expect(tagsOf(await getRun(canon.mlflow, runId)).reviewed).toBe('yes')
        expect((await canon.mlflow.post('/runs/delete-tag', { run_id: runId, key: 'reviewed' })).body).toEqual({})
        expect(tagsOf(await getRun(canon.mlflow, runId))).not.toHaveProperty('reviewed')
        expectMlflowError(await canon.mlflow.post('/runs/delete-tag', { run_id: runId, key: 'never-set' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'No tag with name: never-set')
      })

      it('appends each logged model to the run’s mlflow.log-model.history tag', async () => {
        const { runId } = await createRun(canon.mlflow)
        const model = (path: string) => JSON.stringify({ run_id: runId, artifact_path: path, utc_time_created: '2024-01-01 00:00:00.000000', flavors: { python_function: { loader_module: 'mlflow.sklearn' } } })
        expect((await canon.mlflow.post('/runs/log-model', { run_id: runId, model_json: model('model') })).body).toEqual({})
        await canon.mlflow.post('/runs/log-model', { run_id: runId, model_json: model('model-2') })
        const logged = JSON.parse(tagsOf(await getRun(canon.mlflow, runId))['mlflow.log-model.history'])
        expect(logged.map((m: any) => m.artifact_path)).toEqual(['model', 'model-2'])
        expectMlflowError(await canon.mlflow.post('/runs/log-model', { run_id: runId, model_json: 'not json' }), 400, 'INVALID_PARAMETER_VALUE')
      })

      it('records dataset inputs, and a version registered from the run carries the run’s params and metrics', async () => {
        const { runId, artifactUri } = await createRun(canon.mlflow)
        expect((await canon.mlflow.post('/runs/log-inputs', { run_id: runId, datasets: [dataset] })).body).toEqual({})
        await canon.mlflow.post('/runs/log-batch', { run_id: runId, params: [{ key: 'alpha', value: '0.5' }], metrics: [{ key: 'rmse', value: 0.25, timestamp: 1, step: 0 }] })
        expect((await getRun(canon.mlflow, runId)).inputs).toEqual({ dataset_inputs: [dataset] })
        expectMlflowError(await canon.mlflow.post('/runs/log-inputs', { run_id: runId, datasets: [{ dataset: { name: 'no-digest' } }] }), 400, 'INVALID_PARAMETER_VALUE')

        await logArtifacts(canon.mlflow, artifactUri, modelFiles('lineage'))
        await canon.mlflow.post('/registered-models/create', { name: 'with-lineage' })
        const created = await canon.mlflow.post('/model-versions/create', { name: 'with-lineage', source: `${artifactUri}/model`, run_id: runId })
        expect(created.status).toBe(200)
        const native = await canon.mlflow.native.get(`/api/v1/models/${enc('with-lineage')}/versions/1`)
        expect(native.body).toMatchObject({ runId, params: { alpha: '0.5' }, metrics: { rmse: 0.25 } })
      })
    })

    describe('listing a run’s artifacts', () => {
      it('lists run-relative paths under the run’s root_uri, directories first-class, sub-directories on request', async () => {
        const { runId, artifactUri } = await createRun(canon.mlflow)
        await logArtifacts(canon.mlflow, artifactUri, { ...modelFiles('listed'), 'notes.txt': 'hello', 'empty.txt': '' })
        const listed = await canon.mlflow.get('/artifacts/list', { run_id: runId })
        expect(listed.status).toBe(200)
        expect(listed.body).toEqual({
          root_uri: artifactUri,
          files: [
            { path: 'empty.txt', is_dir: false },
            { path: 'model', is_dir: true },
            { path: 'notes.txt', is_dir: false, file_size: 5 },
          ],
        })
        const model = await canon.mlflow.get('/artifacts/list', { run_uuid: runId, path: 'model' })
        expect(model.body.files.map((f: any) => [f.path, f.is_dir])).toEqual([
          ['model/MLmodel', false],
          ['model/data', true],
          ['model/model.pkl', false],
        ])
        expect((await canon.mlflow.get('/artifacts/list', { run_id: runId, path: 'nothing-here' })).body).toEqual({ root_uri: artifactUri })
      })

      it('answers a run without artifacts with just its root_uri, and an unknown run with 404', async () => {
        const { runId, artifactUri } = await createRun(canon.mlflow)
        expect((await canon.mlflow.get('/artifacts/list', { run_id: runId })).body).toEqual({ root_uri: artifactUri })
        expectMlflowError(await canon.mlflow.get('/artifacts/list', { run_id: '0'.repeat(32) }), 404, 'RESOURCE_DOES_NOT_EXIST')
      })
    })

    it('answers the tracking API over the /ajax-api prefix the MLflow UI uses', async () => {
      const created = await canon.mlflow.ajax.post('/runs/create', { experiment_id: '0', start_time: 1 })
      expect(created.status).toBe(200)
      const runId = created.body.run.info.run_id
      expect((await canon.mlflow.ajax.post('/runs/log-metric', { run_id: runId, key: 'm', value: 1, timestamp: 1 })).status).toBe(200)
      expect((await canon.mlflow.ajax.get('/metrics/get-history', { run_id: runId, metric_key: 'm' })).body.metrics).toHaveLength(1)
      expect((await canon.mlflow.ajax.post('/runs/search', { experiment_ids: ['0'], filter: `attributes.run_id = '${runId}'` })).body.runs).toHaveLength(1)
      expect((await canon.mlflow.ajax.get('/experiments/get', { experiment_id: '0' })).body.experiment.name).toBe('Default')
    })

    itAnsweredLikeMlflowThroughout(canon)
  })
}
