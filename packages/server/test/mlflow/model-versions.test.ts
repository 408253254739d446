import { beforeAll, describe, expect, it } from 'vitest'
import { backends } from '../support/backends'
import { enc } from '../support/http'
import { createRun, expectMlflowError, itAnsweredLikeMlflowThroughout, logArtifacts, modelFiles, proxiedRoot, sha256, useCanonServer, type MlflowHttp } from './mlflow-http'

const files = modelFiles('versions')

/** The manifest Canon should hold for `files` registered from their `model/` directory. */
const expectedManifest = Object.entries(files)
  .map(([path, bytes]) => ({ path: path.slice('model/'.length), size: Buffer.byteLength(bytes), digest: sha256(bytes) }))
  .sort((a, b) => a.path.localeCompare(b.path))

const nativeVersion = async (mlflow: MlflowHttp, name: string, version: string | number) => mlflow.native.get(`/api/v1/models/${enc(name)}/versions/${version}`)
const sortedFiles = (list: { path: string }[]) => [...list].sort((a, b) => a.path.localeCompare(b.path))

for (const backend of backends) {
  describe(`MLflow model versions (${backend})`, () => {
    const canon = useCanonServer(backend)
    let runId: string
    let artifactUri: string

    beforeAll(async () => {
      ;({ runId, artifactUri } = await createRun(canon.mlflow))
      await logArtifacts(canon.mlflow, artifactUri, files)
    })

    const newModel = async (name: string) => expect((await canon.mlflow.post('/registered-models/create', { name })).status).toBe(200)
    const create = (body: Record<string, unknown>) => canon.mlflow.post('/model-versions/create', body)

    describe('creating versions from each kind of source', () => {
      it('registers runs:/<run>/model as stored files with a sha256 manifest, in MLflow’s version shape', async () => {
        await newModel('from-run')
        const created = await create({
          name: 'from-run',
          source: `runs:/${runId}/model`,
          run_id: runId,
          tags: [{ key: 'stage', value: 'dev' }],
          description: 'first',
        })
        expect(created.status).toBe(200)
        const v = created.body.model_version
        expect(v).toMatchObject({ name: 'from-run', version: '1', current_stage: 'None', description: 'first', source: `runs:/${runId}/model`, run_id: runId, status: 'READY', tags: [{ key: 'stage', value: 'dev' }] })
        expect(typeof v.creation_timestamp).toBe('number')
        expect(typeof v.last_updated_timestamp).toBe('number')
        expect(v).not.toHaveProperty('aliases')

        const native = await nativeVersion(canon.mlflow, 'from-run', 1)
        expect(native.status).toBe(200)
        expect(sortedFiles(native.body.files)).toEqual(expectedManifest)
        expect(native.body).toMatchObject({ source: `runs:/${runId}/model`, runId, fileCount: 3 })
      })

      it('registers mlflow-artifacts:/ sources, as mlflow.register_model sends them, with the same files', async () => {
        await newModel('from-proxy')
        const created = await create({ name: 'from-proxy', source: `${artifactUri}/model`, run_id: runId })
        expect(created.status).toBe(200)
        expect(created.body.model_version).toMatchObject({ version: '1', source: `${artifactUri}/model`, status: 'READY' })
        expect(sortedFiles((await nativeVersion(canon.mlflow, 'from-proxy', 1)).body.files)).toEqual(expectedManifest)
      })

      it('registers models:/<name>/<version> as a copy of that version’s manifest', async () => {
        await newModel('copied')
        const created = await create({ name: 'copied', source: 'models:/from-run/1' })
        expect(created.status).toBe(200)
        expect(created.body.model_version).toMatchObject({ name: 'copied', version: '1', source: 'models:/from-run/1', status: 'READY' })
        expect(sortedFiles((await nativeVersion(canon.mlflow, 'copied', 1)).body.files)).toEqual(expectedManifest)
      })

      it('keeps an s3:// source as an external pointer with no files, and hands that URI out for download', async () => {
        await newModel('external')
        const created = await create({ name: 'external', source: 's3://bucket/models/churn/7' })
        expect(created.status).toBe(200)
        expect(created.body.model_version).toMatchObject({ version: '1', source: 's3://bucket/models/churn/7', status: 'READY' })
        const native = await nativeVersion(canon.mlflow, 'external', 1)
        expect(native.body.files).toEqual([])
        expect(native.body.fileCount).toBe(0)
        expect((await canon.mlflow.get('/model-versions/get-download-uri', { name: 'external', version: '1' })).body).toEqual({ artifact_uri: 's3://bucket/models/churn/7' })
      })

      it.each([['/tmp/model'], ['file:///tmp/model'], ['model'], ['C:\\models\\churn']])('refuses the local path %s with INVALID_PARAMETER_VALUE', async (source) => {
        await canon.mlflow.post('/registered-models/create', { name: 'local-paths' })
        expectMlflowError(await create({ name: 'local-paths', source }), 400, 'INVALID_PARAMETER_VALUE')
      })

      it.each([
        (root: string) => `mlflow-artifacts:/${root}/../../secret`,
        (root: string) => `mlflow-artifacts:/${root}/%2E%2E/%2e%2e/secret`,
        (root: string) => `mlflow-artifacts:/${root}/%252E%252E/secret`,
        () => `runs:/${runId}/../other`,
        () => 's3://bucket/a/../b',
      ])('refuses a source that climbs out with .. (%#)', async (source) => {
        await canon.mlflow.post('/registered-models/create', { name: 'climbing' })
        expectMlflowError(await create({ name: 'climbing', source: source(proxiedRoot(artifactUri)) }), 400, 'INVALID_PARAMETER_VALUE')
      })

      it('refuses a version for a model that does not exist, and a runs:/ source for a run that does not exist', async () => {
        expectMlflowError(await create({ name: 'nobody', source: `runs:/${runId}/model` }), 404, 'RESOURCE_DOES_NOT_EXIST')
        await newModel('ghost-run')
        expectMlflowError(await create({ name: 'ghost-run', source: 'runs:/00000000000000000000000000000000/model' }), 404, 'RESOURCE_DOES_NOT_EXIST')
      })

      it('numbers versions 1, 2, 3 and never reuses the number of a deleted version', async () => {
        await newModel('numbered')
        for (const expected of ['1', '2']) expect((await create({ name: 'numbered', source: `runs:/${runId}/model`, run_id: runId })).body.model_version.version).toBe(expected)
        await canon.mlflow.delete('/model-versions/delete', { name: 'numbered', version: '2' })
        expect((await create({ name: 'numbered', source: `runs:/${runId}/model`, run_id: runId })).body.model_version.version).toBe('3')
      })
    })

    describe('reading, updating, tagging and deleting versions', () => {
      beforeAll(async () => {
        await newModel('lifecycle')
        for (let i = 0; i < 4; i++) await create({ name: 'lifecycle', source: `runs:/${runId}/model`, run_id: runId, description: `v${i + 1}` })
      })

      it('reads a version with get, aliases included', async () => {
        await canon.mlflow.post('/registered-models/alias', { name: 'lifecycle', alias: 'champion', version: '1' })
        const got = await canon.mlflow.get('/model-versions/get', { name: 'lifecycle', version: '1' })
        expect(got.status).toBe(200)
        expect(got.body.model_version).toMatchObject({ name: 'lifecycle', version: '1', description: 'v1', status: 'READY', aliases: ['champion'], run_id: runId })
      })

      it('answers 404 for a version that does not exist and 400 for a version that is not a number', async () => {
        expectMlflowError(await canon.mlflow.get('/model-versions/get', { name: 'lifecycle', version: '99' }), 404, 'RESOURCE_DOES_NOT_EXIST')
        expectMlflowError(await canon.mlflow.get('/model-versions/get', { name: 'nobody', version: '1' }), 404, 'RESOURCE_DOES_NOT_EXIST')
        expectMlflowError(await canon.mlflow.get('/model-versions/get', { name: 'lifecycle', version: 'one' }), 400, 'INVALID_PARAMETER_VALUE')
      })

      it('updates the description with PATCH, and an update without one clears it', async () => {
        const updated = await canon.mlflow.patch('/model-versions/update', { name: 'lifecycle', version: '1', description: 'better' })
        expect(updated.status).toBe(200)
        expect(updated.body.model_version).toMatchObject({ version: '1', description: 'better', aliases: ['champion'] })
        const cleared = await canon.mlflow.patch('/model-versions/update', { name: 'lifecycle', version: '1' })
        expect(cleared.status).toBe(200)
        expect(cleared.body.model_version.description ?? '').toBe('')
        expectMlflowError(await canon.mlflow.patch('/model-versions/update', { name: 'lifecycle', version: '99', description: 'x' }), 404, 'RESOURCE_DOES_NOT_EXIST')
      })

      it('moves a version between stages named in any case', async () => {
        const moved = await canon.mlflow.post('/model-versions/transition-stage', { name: 'lifecycle', version: '1', stage: 'staging', archive_existing_versions: false })
        expect(moved.status).toBe(200)
        expect(moved.body.model_version).toMatchObject({ version: '1', current_stage: 'Staging', aliases: ['champion'] })
        expect((await canon.mlflow.post('/model-versions/transition-stage', { name: 'lifecycle', version: '2', stage: 'STAGING' })).body.model_version.current_stage).toBe('Staging')
        const stages = await currentStages(canon.mlflow, 'lifecycle')
        expect(stages).toMatchObject({ 1: 'Staging', 2: 'Staging' })
      })

      it('keeps the other versions in a stage when archive_existing_versions is false', async () => {
        await canon.mlflow.post('/model-versions/transition-stage', { name: 'lifecycle', version: '3', stage: 'Production', archive_existing_versions: false })
        await canon.mlflow.post('/model-versions/transition-stage', { name: 'lifecycle', version: '4', stage: 'Production', archive_existing_versions: false })
        expect(await currentStages(canon.mlflow, 'lifecycle')).toEqual({ 1: 'Staging', 2: 'Staging', 3: 'Production', 4: 'Production' })
      })

      it('archives the other versions in the target stage, and only those, when archive_existing_versions is true', async () => {
        const moved = await canon.mlflow.post('/model-versions/transition-stage', { name: 'lifecycle', version: '3', stage: 'Production', archive_existing_versions: true })
        expect(moved.body.model_version.current_stage).toBe('Production')
        expect(await currentStages(canon.mlflow, 'lifecycle')).toEqual({ 1: 'Staging', 2: 'Staging', 3: 'Production', 4: 'Archived' })
        await canon.mlflow.post('/model-versions/transition-stage', { name: 'lifecycle', version: '2', stage: 'Staging', archive_existing_versions: true })
        expect(await currentStages(canon.mlflow, 'lifecycle')).toEqual({ 1: 'Archived', 2: 'Staging', 3: 'Production', 4: 'Archived' })
      })

      it('refuses an unknown stage, and archive_existing_versions towards a stage that is not Staging or Production, with 400', async () => {
        expectMlflowError(
          await canon.mlflow.post('/model-versions/transition-stage', { name: 'lifecycle', version: '1', stage: 'Bogus', archive_existing_versions: false }),
          400,
          'INVALID_PARAMETER_VALUE',
          'Invalid Model Version stage: Bogus',
        )
        expectMlflowError(await canon.mlflow.post('/model-versions/transition-stage', { name: 'lifecycle', version: '1', stage: 'Archived', archive_existing_versions: true }), 400, 'INVALID_PARAMETER_VALUE')
        expectMlflowError(await canon.mlflow.post('/model-versions/transition-stage', { name: 'lifecycle', version: '99', stage: 'Staging' }), 404, 'RESOURCE_DOES_NOT_EXIST')
      })

      it('sets, overwrites and deletes version tags; a missing tag deletes as a no-op', async () => {
        expect((await canon.mlflow.post('/model-versions/set-tag', { name: 'lifecycle', version: '2', key: 'reviewed', value: 'no' })).body).toEqual({})
        await canon.mlflow.post('/model-versions/set-tag', { name: 'lifecycle', version: '2', key: 'reviewed', value: 'yes' })
        expect((await canon.mlflow.get('/model-versions/get', { name: 'lifecycle', version: '2' })).body.model_version.tags).toEqual([{ key: 'reviewed', value: 'yes' }])
        const deleted = await canon.mlflow.delete('/model-versions/delete-tag', { name: 'lifecycle', version: '2', key: 'reviewed' })
        expect(deleted.status).toBe(200)
        expect(deleted.body).toEqual({})
        expect((await canon.mlflow.get('/model-versions/get', { name: 'lifecycle', version: '2' })).body.model_version).not.toHaveProperty('tags')
        expect((await canon.mlflow.delete('/model-versions/delete-tag', { name: 'lifecycle', version: '2', key: 'never-set' })).status).toBe(200)
        expectMlflowError(await canon.mlflow.post('/model-versions/set-tag', { name: 'lifecycle', version: '99', key: 'k', value: 'v' }), 404, 'RESOURCE_DOES_NOT_EXIST')
        expectMlflowError(await canon.mlflow.delete('/model-versions/delete-tag', { name: 'lifecycle', version: '99', key: 'k' }), 404, 'RESOURCE_DOES_NOT_EXIST')
      })

      it('deletes a version with DELETE and a JSON body, and drops the aliases that pointed at it', async () => {
        await canon.mlflow.post('/registered-models/alias', { name: 'lifecycle', alias: 'old', version: '4' })
        const deleted = await canon.mlflow.delete('/model-versions/delete', { name: 'lifecycle', version: '4' })
        expect(deleted.status).toBe(200)
        expect(deleted.body).toEqual({})
        expectMlflowError(await canon.mlflow.get('/model-versions/get', { name: 'lifecycle', version: '4' }), 404, 'RESOURCE_DOES_NOT_EXIST')
        expectMlflowError(await canon.mlflow.get('/registered-models/alias', { name: 'lifecycle', alias: 'old' }), 400, 'INVALID_PARAMETER_VALUE')
        expectMlflowError(await canon.mlflow.delete('/model-versions/delete', { name: 'lifecycle', version: '4' }), 404, 'RESOURCE_DOES_NOT_EXIST')
      })

      it('refuses to delete the version in Production (409 RESOURCE_CONFLICT)', async () => {
        expectMlflowError(await canon.mlflow.delete('/model-versions/delete', { name: 'lifecycle', version: '3' }), 409, 'RESOURCE_CONFLICT')
        expect((await canon.mlflow.get('/model-versions/get', { name: 'lifecycle', version: '3' })).status).toBe(200)
      })
    })

    describe('downloading a version’s files', () => {
      it('hands out an immutable mlflow-artifacts URI whose listing and files match what was uploaded', async () => {
        const uri = (await canon.mlflow.get('/model-versions/get-download-uri', { name: 'from-run', version: '1' })).body.artifact_uri
        expect(uri).toMatch(/^mlflow-artifacts:\/_canon\/model-versions\/\d+$/)
        const root = proxiedRoot(uri)

        const listing = await canon.mlflow.artifacts.list(root)
        expect(listing.body).toEqual({
          files: [
            { path: 'MLmodel', is_dir: false, file_size: Buffer.byteLength(files['model/MLmodel']) },
            { path: 'data', is_dir: true },
            { path: 'model.pkl', is_dir: false, file_size: files['model/model.pkl'].length },
          ],
        })
        expect((await canon.mlflow.artifacts.list(`${root}/data`)).body).toEqual({ files: [{ path: 'weights.bin', is_dir: false, file_size: Buffer.byteLength(files['model/data/weights.bin']) }] })
        for (const [path, bytes] of Object.entries(files)) {
          const downloaded = await canon.mlflow.artifacts.download(`${root}/${path.slice('model/'.length)}`)
          expect(downloaded.status).toBe(200)
          expect(sha256(downloaded.bytes)).toBe(sha256(bytes))
        }
      })

      it('keeps serving a version’s files after the run’s artifacts are overwritten or deleted', async () => {
        const uri = (await canon.mlflow.get('/model-versions/get-download-uri', { name: 'from-proxy', version: '1' })).body.artifact_uri
        await canon.mlflow.artifacts.upload(`${proxiedRoot(artifactUri)}/model/MLmodel`, 'overwritten')
        await canon.mlflow.artifacts.remove(`${proxiedRoot(artifactUri)}/model/model.pkl`)
        expect((await canon.mlflow.artifacts.download(`${proxiedRoot(uri)}/MLmodel`)).bytes.toString()).toBe(files['model/MLmodel'])
        expect(sha256((await canon.mlflow.artifacts.download(`${proxiedRoot(uri)}/model.pkl`)).bytes)).toBe(sha256(files['model/model.pkl']))
      })

      it('refuses writes and deletes inside a version’s read-only location', async () => {
        const uri = (await canon.mlflow.get('/model-versions/get-download-uri', { name: 'from-run', version: '1' })).body.artifact_uri
        expectMlflowError(await canon.mlflow.artifacts.upload(`${proxiedRoot(uri)}/MLmodel`, 'tampered'), 400, 'INVALID_PARAMETER_VALUE')
        expectMlflowError(await canon.mlflow.artifacts.remove(`${proxiedRoot(uri)}/MLmodel`), 400, 'INVALID_PARAMETER_VALUE')
        expect((await canon.mlflow.artifacts.download(`${proxiedRoot(uri)}/MLmodel`)).bytes.toString()).toBe(files['model/MLmodel'])
      })

      it('answers 404 for the download URI of a version that does not exist', async () => {
        expectMlflowError(await canon.mlflow.get('/model-versions/get-download-uri', { name: 'from-run', version: '99' }), 404, 'RESOURCE_DOES_NOT_EXIST')
        expectMlflowError(await canon.mlflow.get('/model-versions/get-download-uri', { name: 'nobody', version: '1' }), 404, 'RESOURCE_DOES_NOT_EXIST')
      })
    })

    itAnsweredLikeMlflowThroughout(canon)
  })
}

async function currentStages(mlflow: MlflowHttp, name: string): Promise<Record<string, string>> {
  const found = await mlflow.get('/model-versions/search', { filter: `name = '${name}'` })
  return Object.fromEntries(found.body.model_versions.map((v: any) => [v.version, v.current_stage]))
}
