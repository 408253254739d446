import { describe, expect, it } from 'vitest'
import { backends } from '../support/backends'
import { enc } from '../support/http'
import { createRun, expectMlflowError, itAnsweredLikeMlflowThroughout, logArtifacts, modelFiles, proxiedRoot, sha256, useCanonServer } from './mlflow-http'

for (const backend of backends) {
  describe(`MLflow and Canon's native API over one registry (${backend})`, () => {
    const canon = useCanonServer(backend)

    it('a version registered through MLflow shows through the native API with its files and its run’s params and metrics', async () => {
      const { mlflow } = canon
      const { runId, artifactUri } = await createRun(mlflow)
      await mlflow.post('/runs/log-batch', {
        run_id: runId,
        params: [{ key: 'max_depth', value: '6' }],
        metrics: [
          { key: 'auc', value: 0.81, timestamp: 1, step: 0 },
          { key: 'auc', value: 0.87, timestamp: 2, step: 1 },
        ],
      })
      const files = modelFiles('cross')
      await logArtifacts(mlflow, artifactUri, files)
      await mlflow.post('/registered-models/create', { name: 'via-mlflow', description: 'registered by a notebook' })
      const created = await mlflow.post('/model-versions/create', { name: 'via-mlflow', source: `runs:/${runId}/model`, run_id: runId, tags: [{ key: 'owner', value: 'ana' }] })
      expect(created.status).toBe(200)
      await mlflow.post('/model-versions/transition-stage', { name: 'via-mlflow', version: '1', stage: 'Staging', archive_existing_versions: false })
      await mlflow.post('/registered-models/alias', { name: 'via-mlflow', alias: 'champion', version: '1' })

      const model = await mlflow.native.get('/api/v1/models/via-mlflow')
      expect(model.status).toBe(200)
      expect(model.body).toMatchObject({ name: 'via-mlflow', description: 'registered by a notebook', latestVersion: 1, aliases: { champion: 1 } })

      const version = await mlflow.native.get('/api/v1/models/via-mlflow/versions/1')
      expect(version.status).toBe(200)
      expect(version.body).toMatchObject({
        model: 'via-mlflow',
        version: 1,
        stage: 'Staging',
        source: `runs:/${runId}/model`,
        runId,
        tags: { owner: 'ana' },
        params: { max_depth: '6' },
        metrics: { auc: 0.87 },
        aliases: ['champion'],
        fileCount: 3,
      })
      const expected = Object.entries(files).map(([path, bytes]) => ({ path: path.slice('model/'.length), size: Buffer.byteLength(bytes), digest: sha256(bytes) }))
      expect(version.body.files).toEqual(expect.arrayContaining(expected))
      expect(version.body.files).toHaveLength(expected.length)

      const weights = await fetch(`${canon.server.url}/api/v1/models/via-mlflow/versions/1/files/model.pkl`)
      expect(sha256(Buffer.from(await weights.arrayBuffer()))).toBe(sha256(files['model/model.pkl']))
      expect((await mlflow.native.get(`/api/v1/resolve?uri=${enc('models:/via-mlflow@champion')}`)).body.version).toBe(1)
    })

    it('a version registered through the native API shows through MLflow, and its download URI serves its files', async () => {
      const { mlflow } = canon
      const bytes = { 'model.onnx': Buffer.from('onnx graph bytes'), 'config/labels.json': Buffer.from('["no","yes"]') }
      const manifest = []
      for (const [path, content] of Object.entries(bytes)) manifest.push(await mlflow.native.upload(path, content))
      expect((await mlflow.native.post('/api/v1/models', { name: 'via-native', tags: { team: 'risk' } })).status).toBe(201)
      const created = await mlflow.native.post('/api/v1/models/via-native/versions', { files: manifest, description: 'from CI', tags: { commit: 'abc123' } })
      expect(created.status).toBe(201)

      const got = await mlflow.get('/model-versions/get', { name: 'via-native', version: '1' })
      expect(got.status).toBe(200)
      expect(got.body.model_version).toMatchObject({ name: 'via-native', version: '1', current_stage: 'None', status: 'READY', description: 'from CI', tags: [{ key: 'commit', value: 'abc123' }] })
      expect(typeof got.body.model_version.creation_timestamp).toBe('number')
      expect((await mlflow.get('/registered-models/get', { name: 'via-native' })).body.registered_model).toMatchObject({
        name: 'via-native',
        tags: [{ key: 'team', value: 'risk' }],
        latest_versions: [expect.objectContaining({ version: '1', current_stage: 'None' })],
      })
      expect((await mlflow.get('/model-versions/search', { filter: "name = 'via-native'" })).body.model_versions).toHaveLength(1)

      const uri = (await mlflow.get('/model-versions/get-download-uri', { name: 'via-native', version: '1' })).body.artifact_uri
      expect(uri).toMatch(/^mlflow-artifacts:\/_canon\/model-versions\/\d+$/)
      const root = proxiedRoot(uri)
      expect((await mlflow.artifacts.list(root)).body).toEqual({
        files: [
          { path: 'config', is_dir: true },
          { path: 'model.onnx', is_dir: false, file_size: bytes['model.onnx'].length },
        ],
      })
      for (const [path, content] of Object.entries(bytes)) {
        const downloaded = await mlflow.artifacts.download(`${root}/${path}`)
        expect(downloaded.status).toBe(200)
        expect(downloaded.bytes.equals(content)).toBe(true)
      }
    })

    it('a stage change or alias made through one face is what the other face reads', async () => {
      const { mlflow } = canon
      expect((await mlflow.native.post('/api/v1/models/via-native/versions/1/stage', { stage: 'Production' })).status).toBe(200)
      expect((await mlflow.post('/registered-models/get-latest-versions', { name: 'via-native', stages: ['Production'] })).body.model_versions).toEqual([
        expect.objectContaining({ version: '1', current_stage: 'Production' }),
      ])
      await mlflow.post('/registered-models/alias', { name: 'via-native', alias: 'serving', version: '1' })
      expect((await mlflow.native.get('/api/v1/models/via-native/aliases/serving')).body.version).toBe(1)
      expectMlflowError(await mlflow.delete('/model-versions/delete', { name: 'via-native', version: '1' }), 409, 'RESOURCE_CONFLICT')
    })

    it('a model renamed or deleted through the native API is renamed or gone for MLflow too', async () => {
      const { mlflow } = canon
      await mlflow.post('/registered-models/create', { name: 'short-lived' })
      expect((await mlflow.native.patch('/api/v1/models/short-lived', { name: 'still-short-lived' })).status).toBe(200)
      expect((await mlflow.get('/registered-models/get', { name: 'still-short-lived' })).status).toBe(200)
      expectMlflowError(await mlflow.get('/registered-models/get', { name: 'short-lived' }), 404, 'RESOURCE_DOES_NOT_EXIST')
      expect((await mlflow.native.delete('/api/v1/models/still-short-lived')).status).toBe(204)
      expectMlflowError(await mlflow.get('/registered-models/get', { name: 'still-short-lived' }), 404, 'RESOURCE_DOES_NOT_EXIST')
    })

    itAnsweredLikeMlflowThroughout(canon)
  })
}
