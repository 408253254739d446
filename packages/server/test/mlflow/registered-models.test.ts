import { describe, expect, it } from 'vitest'
import { backends } from '../support/backends'
import { createRun, expectMlflowError, itAnsweredLikeMlflowThroughout, logArtifacts, modelFiles, useCanonServer, type MlflowHttp } from './mlflow-http'

/** A model with `count` versions registered from one run's logged model. */
async function modelWithVersions(mlflow: MlflowHttp, name: string, count: number) {
  expect((await mlflow.post('/registered-models/create', { name })).status).toBe(200)
  const { runId, artifactUri } = await createRun(mlflow)
  await logArtifacts(mlflow, artifactUri, modelFiles(name))
  for (let i = 0; i < count; i++) {
    const created = await mlflow.post('/model-versions/create', { name, source: `runs:/${runId}/model`, run_id: runId })
    expect(created.status).toBe(200)
  }
  return { runId }
}

const stageOf = (mlflow: MlflowHttp) => async (name: string, version: string) => (await mlflow.get('/model-versions/get', { name, version })).body.model_version.current_stage

for (const backend of backends) {
  describe(`MLflow registered models (${backend})`, () => {
    const canon = useCanonServer(backend)

    it('creates a model with a description and tags, and reads it back in MLflow’s shape', async () => {
      const created = await canon.mlflow.post('/registered-models/create', {
        name: 'churn',
        tags: [
          { key: 'team', value: 'ml' },
          { key: 'tier', value: 'gold' },
        ],
        description: 'predicts churn',
      })
      expect(created.status).toBe(200)
      const model = created.body.registered_model
      expect(model).toMatchObject({ name: 'churn', description: 'predicts churn' })
      expect(model.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'ml' }, { key: 'tier', value: 'gold' }]))
      expect(model.tags).toHaveLength(2)
      expect(typeof model.creation_timestamp).toBe('number')
      expect(typeof model.last_updated_timestamp).toBe('number')
      expect(model).not.toHaveProperty('latest_versions')
      expect(model).not.toHaveProperty('aliases')

      const got = await canon.mlflow.get('/registered-models/get', { name: 'churn' })
      expect(got.status).toBe(200)
      expect(got.body.registered_model).toEqual(model)
    })

    it('leaves out the description and tags of a model created without them', async () => {
      const created = await canon.mlflow.post('/registered-models/create', { name: 'bare' })
      expect(created.body.registered_model).not.toHaveProperty('description')
      expect(created.body.registered_model).not.toHaveProperty('tags')
    })

    it('refuses a second model of the same name with RESOURCE_ALREADY_EXISTS and HTTP 400, as register_model expects', async () => {
      await canon.mlflow.post('/registered-models/create', { name: 'twice' })
      expectMlflowError(await canon.mlflow.post('/registered-models/create', { name: 'twice' }), 400, 'RESOURCE_ALREADY_EXISTS', 'twice')
    })

    it('answers 404 RESOURCE_DOES_NOT_EXIST for a model that does not exist', async () => {
      expectMlflowError(await canon.mlflow.get('/registered-models/get', { name: 'nobody' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'nobody')
    })

    it('updates the description with PATCH, and an update that omits the description clears it', async () => {
      await canon.mlflow.post('/registered-models/create', { name: 'described', description: 'first words' })
      const updated = await canon.mlflow.patch('/registered-models/update', { name: 'described', description: 'better words' })
      expect(updated.status).toBe(200)
      expect(updated.body.registered_model).toMatchObject({ name: 'described', description: 'better words' })
      expect(updated.body.registered_model.last_updated_timestamp).toBeGreaterThanOrEqual(updated.body.registered_model.creation_timestamp)

      const cleared = await canon.mlflow.patch('/registered-models/update', { name: 'described' })
      expect(cleared.status).toBe(200)
      expect(cleared.body.registered_model).not.toHaveProperty('description')
      expect((await canon.mlflow.get('/registered-models/get', { name: 'described' })).body.registered_model).not.toHaveProperty('description')
      expectMlflowError(await canon.mlflow.patch('/registered-models/update', { name: 'nobody', description: 'x' }), 404, 'RESOURCE_DOES_NOT_EXIST')
    })

    it('renames a model; its versions, tags and aliases follow and the old name is gone', async () => {
      await modelWithVersions(canon.mlflow, 'old-name', 1)
      await canon.mlflow.post('/registered-models/set-tag', { name: 'old-name', key: 'owner', value: 'ana' })
      await canon.mlflow.post('/registered-models/alias', { name: 'old-name', alias: 'champion', version: '1' })
      const renamed = await canon.mlflow.post('/registered-models/rename', { name: 'old-name', new_name: 'new-name' })
      expect(renamed.status).toBe(200)
      expect(renamed.body.registered_model).toMatchObject({
        name: 'new-name',
        tags: [{ key: 'owner', value: 'ana' }],
        aliases: [{ alias: 'champion', version: '1' }],
        latest_versions: [expect.objectContaining({ name: 'new-name', version: '1' })],
      })
      expect((await canon.mlflow.get('/model-versions/get', { name: 'new-name', version: '1' })).body.model_version).toMatchObject({ name: 'new-name', aliases: ['champion'] })
      expectMlflowError(await canon.mlflow.get('/registered-models/get', { name: 'old-name' }), 404, 'RESOURCE_DOES_NOT_EXIST')
    })

    it('refuses to rename onto an existing name with RESOURCE_ALREADY_EXISTS, and a missing model with 404', async () => {
      await canon.mlflow.post('/registered-models/create', { name: 'rename-a' })
      await canon.mlflow.post('/registered-models/create', { name: 'rename-b' })
      expectMlflowError(await canon.mlflow.post('/registered-models/rename', { name: 'rename-a', new_name: 'rename-b' }), 400, 'RESOURCE_ALREADY_EXISTS')
      expectMlflowError(await canon.mlflow.post('/registered-models/rename', { name: 'rename-nobody', new_name: 'rename-c' }), 404, 'RESOURCE_DOES_NOT_EXIST')
    })

    it('deletes a model, with its versions, through DELETE with a JSON body', async () => {
      await modelWithVersions(canon.mlflow, 'doomed', 2)
      const deleted = await canon.mlflow.delete('/registered-models/delete', { name: 'doomed' })
      expect(deleted.status).toBe(200)
      expect(deleted.body).toEqual({})
      expectMlflowError(await canon.mlflow.get('/registered-models/get', { name: 'doomed' }), 404, 'RESOURCE_DOES_NOT_EXIST')
      expectMlflowError(await canon.mlflow.get('/model-versions/get', { name: 'doomed', version: '1' }), 404, 'RESOURCE_DOES_NOT_EXIST')
      expect((await canon.mlflow.get('/model-versions/search', { filter: "name = 'doomed'" })).body).toEqual({})
      expectMlflowError(await canon.mlflow.delete('/registered-models/delete', { name: 'doomed' }), 404, 'RESOURCE_DOES_NOT_EXIST')
    })

    it('refuses to delete a model while one of its versions is in Production (409 RESOURCE_CONFLICT)', async () => {
      await modelWithVersions(canon.mlflow, 'serving', 1)
      await canon.mlflow.post('/model-versions/transition-stage', { name: 'serving', version: '1', stage: 'Production', archive_existing_versions: false })
      expectMlflowError(await canon.mlflow.delete('/registered-models/delete', { name: 'serving' }), 409, 'RESOURCE_CONFLICT')
      expect((await canon.mlflow.get('/registered-models/get', { name: 'serving' })).status).toBe(200)
    })

    it('sets, overwrites and deletes model tags; deleting a tag that is not there is a no-op', async () => {
      await canon.mlflow.post('/registered-models/create', { name: 'tagged' })
      expect((await canon.mlflow.post('/registered-models/set-tag', { name: 'tagged', key: 'owner', value: 'ana' })).body).toEqual({})
      await canon.mlflow.post('/registered-models/set-tag', { name: 'tagged', key: 'owner', value: 'bo' })
      await canon.mlflow.post('/registered-models/set-tag', { name: 'tagged', key: 'team', value: 'ml' })
      const tags = (await canon.mlflow.get('/registered-models/get', { name: 'tagged' })).body.registered_model.tags
      expect(tags).toEqual(expect.arrayContaining([{ key: 'owner', value: 'bo' }, { key: 'team', value: 'ml' }]))
      expect(tags).toHaveLength(2)

      const deleted = await canon.mlflow.delete('/registered-models/delete-tag', { name: 'tagged', key: 'owner' })
      expect(deleted.status).toBe(200)
      expect(deleted.body).toEqual({})
      expect((await canon.mlflow.get('/registered-models/get', { name: 'tagged' })).body.registered_model.tags).toEqual([{ key: 'team', value: 'ml' }])
      expect((await canon.mlflow.delete('/registered-models/delete-tag', { name: 'tagged', key: 'never-set' })).status).toBe(200)
      expectMlflowError(await canon.mlflow.delete('/registered-models/delete-tag', { name: 'nobody', key: 'x' }), 404, 'RESOURCE_DOES_NOT_EXIST')
      expectMlflowError(await canon.mlflow.post('/registered-models/set-tag', { name: 'nobody', key: 'x', value: 'y' }), 404, 'RESOURCE_DOES_NOT_EXIST')
    })

    describe('latest versions', () => {
      it('lists the highest version in each stage, as the model’s latest_versions and through get-latest-versions', async () => {
        await modelWithVersions(canon.mlflow, 'staged', 4)
        const transition = (version: string, stage: string) =>
          canon.mlflow.post('/model-versions/transition-stage', { name: 'staged', version, stage, archive_existing_versions: false })
        await transition('1', 'Staging')
        await transition('2', 'Production')
        await transition('3', 'Staging')
        await canon.mlflow.post('/registered-models/alias', { name: 'staged', alias: 'champion', version: '2' })

        const latest = (await canon.mlflow.get('/registered-models/get', { name: 'staged' })).body.registered_model.latest_versions
        const byStage = Object.fromEntries(latest.map((v: any) => [v.current_stage, v.version]))
        expect(byStage).toEqual({ None: '4', Staging: '3', Production: '2' })
        for (const v of latest) expect(v).not.toHaveProperty('aliases')

        const all = await canon.mlflow.post('/registered-models/get-latest-versions', { name: 'staged' })
        expect(all.status).toBe(200)
        expect(all.body.model_versions.map((v: any) => v.version).sort()).toEqual(['2', '3', '4'])
        for (const v of all.body.model_versions) expect(v).not.toHaveProperty('aliases')
      })

      it('filters get-latest-versions by stage names in any case, over POST and over GET with repeated stages', async () => {
        const posted = await canon.mlflow.post('/registered-models/get-latest-versions', { name: 'staged', stages: ['production'] })
        expect(posted.body.model_versions).toEqual([expect.objectContaining({ name: 'staged', version: '2', current_stage: 'Production', status: 'READY' })])

        const got = await canon.mlflow.get('/registered-models/get-latest-versions', { name: 'staged', stages: ['STAGING', 'Production'] })
        expect(got.status).toBe(200)
        expect(got.body.model_versions.map((v: any) => v.version).sort()).toEqual(['2', '3'])
        expect((await canon.mlflow.post('/registered-models/get-latest-versions', { name: 'staged', stages: ['Archived'] })).body).toEqual({})
      })

      it('refuses an unknown stage with INVALID_PARAMETER_VALUE and an unknown model with 404', async () => {
        expectMlflowError(await canon.mlflow.post('/registered-models/get-latest-versions', { name: 'staged', stages: ['Bogus'] }), 400, 'INVALID_PARAMETER_VALUE', 'Bogus')
        expectMlflowError(await canon.mlflow.post('/registered-models/get-latest-versions', { name: 'nobody' }), 404, 'RESOURCE_DOES_NOT_EXIST')
        await canon.mlflow.post('/registered-models/create', { name: 'no-versions-yet' })
        expect((await canon.mlflow.post('/registered-models/get-latest-versions', { name: 'no-versions-yet' })).body).toEqual({})
      })
    })

    describe('aliases', () => {
      it('points an alias at a version, reads the version through it, and shows it on the model', async () => {
        await modelWithVersions(canon.mlflow, 'aliased', 2)
        const set = await canon.mlflow.post('/registered-models/alias', { name: 'aliased', alias: 'champion', version: '1' })
        expect(set.status).toBe(200)
        expect(set.body).toEqual({})

        const byAlias = await canon.mlflow.get('/registered-models/alias', { name: 'aliased', alias: 'champion' })
        expect(byAlias.status).toBe(200)
        expect(byAlias.body.model_version).toMatchObject({ name: 'aliased', version: '1', aliases: ['champion'], status: 'READY' })
        expect((await canon.mlflow.get('/registered-models/get', { name: 'aliased' })).body.registered_model.aliases).toEqual([{ alias: 'champion', version: '1' }])
        expect((await canon.mlflow.get('/model-versions/get', { name: 'aliased', version: '1' })).body.model_version.aliases).toEqual(['champion'])
      })

      it('moves an alias to another version when it is set again', async () => {
        await canon.mlflow.post('/registered-models/alias', { name: 'aliased', alias: 'champion', version: '2' })
        expect((await canon.mlflow.get('/registered-models/alias', { name: 'aliased', alias: 'champion' })).body.model_version.version).toBe('2')
        expect((await canon.mlflow.get('/model-versions/get', { name: 'aliased', version: '1' })).body.model_version).not.toHaveProperty('aliases')
      })

      it('deletes an alias with DELETE and a JSON body; reading it afterwards is INVALID_PARAMETER_VALUE, not 404', async () => {
        const deleted = await canon.mlflow.delete('/registered-models/alias', { name: 'aliased', alias: 'champion' })
        expect(deleted.status).toBe(200)
        expect(deleted.body).toEqual({})
        expectMlflowError(await canon.mlflow.get('/registered-models/alias', { name: 'aliased', alias: 'champion' }), 400, 'INVALID_PARAMETER_VALUE', 'champion')
        expect((await canon.mlflow.get('/registered-models/get', { name: 'aliased' })).body.registered_model).not.toHaveProperty('aliases')
        expect((await canon.mlflow.delete('/registered-models/alias', { name: 'aliased', alias: 'never-set' })).status).toBe(200)
      })

      it('refuses aliases MLflow refuses, and aliases for versions or models that do not exist', async () => {
        for (const alias of ['latest', 'v1', 'V2', 'has space', 'a/b']) {
          expectMlflowError(await canon.mlflow.post('/registered-models/alias', { name: 'aliased', alias, version: '1' }), 400, 'INVALID_PARAMETER_VALUE')
        }
        expectMlflowError(await canon.mlflow.post('/registered-models/alias', { name: 'aliased', alias: 'next', version: '99' }), 404, 'RESOURCE_DOES_NOT_EXIST')
        expectMlflowError(await canon.mlflow.post('/registered-models/alias', { name: 'nobody', alias: 'next', version: '1' }), 404, 'RESOURCE_DOES_NOT_EXIST')
        expectMlflowError(await canon.mlflow.get('/registered-models/alias', { name: 'nobody', alias: 'next' }), 400, 'INVALID_PARAMETER_VALUE')
        expectMlflowError(await canon.mlflow.delete('/registered-models/alias', { name: 'nobody', alias: 'next' }), 404, 'RESOURCE_DOES_NOT_EXIST')
      })
    })

    it('answers the same registry over the /ajax-api prefix the MLflow UI uses', async () => {
      const created = await canon.mlflow.ajax.post('/registered-models/create', { name: 'from-the-ui' })
      expect(created.status).toBe(200)
      expect((await canon.mlflow.get('/registered-models/get', { name: 'from-the-ui' })).body.registered_model.name).toBe('from-the-ui')
      expect((await canon.mlflow.ajax.get('/registered-models/search', { filter: "name = 'from-the-ui'" })).body.registered_models).toHaveLength(1)
      await modelWithVersions(canon.mlflow, 'ui-staged', 1)
      const moved = await canon.mlflow.ajax.post('/model-versions/transition-stage', { name: 'ui-staged', version: '1', stage: 'archived' })
      expect(moved.body.model_version.current_stage).toBe('Archived')
      expect(await stageOf(canon.mlflow)('ui-staged', '1')).toBe('Archived')
      expectMlflowError(await canon.mlflow.ajax.get('/registered-models/get', { name: 'nobody' }), 404, 'RESOURCE_DOES_NOT_EXIST')
    })

    itAnsweredLikeMlflowThroughout(canon)
  })
}
