import { beforeAll, describe, expect, it } from 'vitest'
import { backends } from '../support/backends'
import { createRun, expectMlflowError, itAnsweredLikeMlflowThroughout, pageTokenText, useCanonServer, type MlflowHttp } from './mlflow-http'

const names = (body: any) => (body.experiments ?? []).map((e: any) => e.name)

/** `MlflowClient.search_experiments` as the Python client sends it: POST, max_results 1000, ACTIVE_ONLY. */
const search = (mlflow: MlflowHttp, fields: Record<string, unknown> = {}) => mlflow.post('/experiments/search', { max_results: 1000, view_type: 'ACTIVE_ONLY', ...fields })

async function createExperiment(mlflow: MlflowHttp, name: string, tags: Record<string, string> = {}): Promise<string> {
  const created = await mlflow.post('/experiments/create', { name, tags: Object.entries(tags).map(([key, value]) => ({ key, value })) })
  expect(created.status).toBe(200)
  return created.body.experiment_id
}

for (const backend of backends) {
  describe(`MLflow experiments (${backend})`, () => {
    const canon = useCanonServer(backend)

    it('has the Default experiment "0" from the start', async () => {
      const got = await canon.mlflow.get('/experiments/get', { experiment_id: '0' })
      expect(got.status).toBe(200)
      expect(got.body.experiment).toMatchObject({ experiment_id: '0', name: 'Default', lifecycle_stage: 'active', artifact_location: 'mlflow-artifacts:/0' })
      expect((await canon.mlflow.get('/experiments/get-by-name', { experiment_name: 'Default' })).body.experiment.experiment_id).toBe('0')
    })

    it('creates an experiment with tags and answers its id as a string', async () => {
      const created = await canon.mlflow.post('/experiments/create', {
        name: 'churn-exp',
        tags: [
          { key: 'team', value: 'ml' },
          { key: 'purpose', value: 'compat' },
        ],
      })
      expect(created.status).toBe(200)
      expect(Object.keys(created.body)).toEqual(['experiment_id'])
      const id = created.body.experiment_id
      expect(id).toMatch(/^\d+$/)

      const got = (await canon.mlflow.get('/experiments/get', { experiment_id: id })).body.experiment
      expect(got).toMatchObject({ experiment_id: id, name: 'churn-exp', artifact_location: `mlflow-artifacts:/${id}`, lifecycle_stage: 'active' })
      expect(got.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'ml' }, { key: 'purpose', value: 'compat' }]))
      expect(typeof got.creation_time).toBe('number')
      expect(typeof got.last_update_time).toBe('number')
      expect((await canon.mlflow.get('/experiments/get-by-name', { experiment_name: 'churn-exp' })).body.experiment).toEqual(got)
    })

    it('keeps a custom artifact location', async () => {
      const id = (await canon.mlflow.post('/experiments/create', { name: 'custom-root', artifact_location: 's3://bucket/experiments/custom' })).body.experiment_id
      expect((await canon.mlflow.get('/experiments/get', { experiment_id: id })).body.experiment.artifact_location).toBe('s3://bucket/experiments/custom')
    })

    it('refuses a duplicate name with RESOURCE_ALREADY_EXISTS and HTTP 400', async () => {
      await createExperiment(canon.mlflow, 'twice')
      expectMlflowError(await canon.mlflow.post('/experiments/create', { name: 'twice' }), 400, 'RESOURCE_ALREADY_EXISTS', 'twice')
    })

    it('answers 404 RESOURCE_DOES_NOT_EXIST for an unknown id or name, which the Python client reads as “no such experiment”', async () => {
      expectMlflowError(await canon.mlflow.get('/experiments/get', { experiment_id: '999999999' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'No Experiment with id=999999999 exists')
      expectMlflowError(await canon.mlflow.get('/experiments/get-by-name', { experiment_name: 'missing' }), 404, 'RESOURCE_DOES_NOT_EXIST', "Could not find experiment with name 'missing'")
      expectMlflowError(await canon.mlflow.get('/experiments/get', { experiment_id: 'abc' }), 404, 'RESOURCE_DOES_NOT_EXIST')
    })

    it('renames an experiment with update, and refuses a name that is taken', async () => {
      const id = await createExperiment(canon.mlflow, 'before-rename')
      const renamed = await canon.mlflow.post('/experiments/update', { experiment_id: id, new_name: 'after-rename' })
      expect(renamed.status).toBe(200)
      expect(renamed.body).toEqual({})
      expect((await canon.mlflow.get('/experiments/get', { experiment_id: id })).body.experiment.name).toBe('after-rename')
      expectMlflowError(await canon.mlflow.get('/experiments/get-by-name', { experiment_name: 'before-rename' }), 404, 'RESOURCE_DOES_NOT_EXIST')
      expectMlflowError(await canon.mlflow.post('/experiments/update', { experiment_id: id, new_name: 'churn-exp' }), 400, 'RESOURCE_ALREADY_EXISTS')
      expectMlflowError(await canon.mlflow.post('/experiments/update', { experiment_id: '999999', new_name: 'x' }), 404, 'RESOURCE_DOES_NOT_EXIST')
    })

    it('sets and overwrites experiment tags', async () => {
      const id = await createExperiment(canon.mlflow, 'tagged-exp')
      expect((await canon.mlflow.post('/experiments/set-experiment-tag', { experiment_id: id, key: 'note', value: 'one' })).body).toEqual({})
      await canon.mlflow.post('/experiments/set-experiment-tag', { experiment_id: id, key: 'note', value: 'two' })
      expect((await canon.mlflow.get('/experiments/get', { experiment_id: id })).body.experiment.tags).toEqual([{ key: 'note', value: 'two' }])
      expectMlflowError(await canon.mlflow.post('/experiments/set-experiment-tag', { experiment_id: '999999', key: 'note', value: 'x' }), 404, 'RESOURCE_DOES_NOT_EXIST')
    })

    it('deletes an experiment with its runs, and restores both', async () => {
      const id = await createExperiment(canon.mlflow, 'short-lived')
      const { runId } = await createRun(canon.mlflow, id)
      expect((await canon.mlflow.post('/experiments/delete', { experiment_id: id })).body).toEqual({})
      expect((await canon.mlflow.get('/experiments/get', { experiment_id: id })).body.experiment.lifecycle_stage).toBe('deleted')
      expect((await canon.mlflow.get('/runs/get', { run_id: runId })).body.run.info.lifecycle_stage).toBe('deleted')
      expectMlflowError(await canon.mlflow.post('/experiments/delete', { experiment_id: id }), 404, 'RESOURCE_DOES_NOT_EXIST')
      expectMlflowError(await canon.mlflow.post('/runs/create', { experiment_id: id, start_time: 1 }), 400, 'INVALID_PARAMETER_VALUE')
      expectMlflowError(await canon.mlflow.post('/experiments/update', { experiment_id: id, new_name: 'renamed-while-deleted' }), 400, 'INVALID_PARAMETER_VALUE')

      expect((await canon.mlflow.post('/experiments/restore', { experiment_id: id })).body).toEqual({})
      expect((await canon.mlflow.get('/experiments/get', { experiment_id: id })).body.experiment.lifecycle_stage).toBe('active')
      expect((await canon.mlflow.get('/runs/get', { run_id: runId })).body.run.info.lifecycle_stage).toBe('active')
      expectMlflowError(await canon.mlflow.post('/experiments/restore', { experiment_id: id }), 404, 'RESOURCE_DOES_NOT_EXIST')
    })

    it('refuses to delete the Default experiment with INVALID_PARAMETER_VALUE', async () => {
      expectMlflowError(await canon.mlflow.post('/experiments/delete', { experiment_id: '0' }), 400, 'INVALID_PARAMETER_VALUE')
      expect((await canon.mlflow.get('/experiments/get', { experiment_id: '0' })).body.experiment.lifecycle_stage).toBe('active')
    })

    describe('search', () => {
      const ids: Record<string, string> = {}
      beforeAll(async () => {
        ids.alpha = await createExperiment(canon.mlflow, 'search-alpha', { team: 'risk' })
        ids.beta = await createExperiment(canon.mlflow, 'search-beta', { team: 'risk', tier: 'gold' })
        ids.Gamma = await createExperiment(canon.mlflow, 'search-Gamma', { team: 'ads' })
        ids.gone = await createExperiment(canon.mlflow, 'search-gone')
        await canon.mlflow.post('/experiments/delete', { experiment_id: ids.gone })
      })

      it('finds active experiments by default, deleted ones with DELETED_ONLY, and both with ALL', async () => {
        const filter = "name LIKE 'search-%'"
        expect(names((await search(canon.mlflow, { filter, order_by: ['name ASC'] })).body)).toEqual(['search-Gamma', 'search-alpha', 'search-beta'])
        expect(names((await search(canon.mlflow, { filter, view_type: 'DELETED_ONLY' })).body)).toEqual(['search-gone'])
        expect(names((await search(canon.mlflow, { filter, view_type: 'ALL', order_by: ['name ASC'] })).body)).toEqual(['search-Gamma', 'search-alpha', 'search-beta', 'search-gone'])
        const deleted = (await search(canon.mlflow, { filter, view_type: 'DELETED_ONLY' })).body.experiments[0]
        expect(deleted).toMatchObject({ experiment_id: ids.gone, lifecycle_stage: 'deleted' })
      })

      it('answers the same search over GET with query parameters', async () => {
        const got = await canon.mlflow.get('/experiments/search', { max_results: 1000, filter: "name LIKE 'search-%'", order_by: 'name DESC', view_type: 'ALL' })
        expect(got.status).toBe(200)
        expect(names(got.body)).toEqual(['search-gone', 'search-beta', 'search-alpha', 'search-Gamma'])
      })

      it.each([
        ["name = 'search-beta'", ['search-beta']],
        ["name != 'search-beta' AND name LIKE 'search-%'", ['search-Gamma', 'search-alpha']],
        ["name ILIKE 'SEARCH-g%'", ['search-Gamma']],
        ["name LIKE 'search-g%'", []],
        ["tags.team = 'risk'", ['search-alpha', 'search-beta']],
        ["tags.team = 'risk' AND tags.tier = 'gold'", ['search-beta']],
        ["tag.team LIKE 'a%'", ['search-Gamma']],
      ])('filters by %s', async (filter, expected) => {
        expect(names((await search(canon.mlflow, { filter, order_by: ['name ASC'] })).body)).toEqual(expected)
      })

      it('orders newest first by default and by experiment_id when asked', async () => {
        const byId = (await search(canon.mlflow, { filter: "name LIKE 'search-%'", order_by: ['experiment_id DESC'] })).body.experiments.map((e: any) => e.experiment_id)
        expect(byId).toEqual([ids.Gamma, ids.beta, ids.alpha])
        const byDefault = (await search(canon.mlflow, { filter: "name LIKE 'search-%'" })).body.experiments
        const created = byDefault.map((e: any) => e.creation_time)
        expect(created).toEqual([...created].sort((a, b) => b - a))
      })

      it('pages with MLflow page tokens and stops handing them out on the last page', async () => {
        const first = await search(canon.mlflow, { filter: "name LIKE 'search-%'", max_results: 2, order_by: ['name ASC'] })
        expect(names(first.body)).toEqual(['search-Gamma', 'search-alpha'])
        expect(pageTokenText(first.body.next_page_token)).toBe('{"offset": 2}')
        const second = await search(canon.mlflow, { filter: "name LIKE 'search-%'", max_results: 2, order_by: ['name ASC'], page_token: first.body.next_page_token })
        expect(names(second.body)).toEqual(['search-beta'])
        expect(second.body).not.toHaveProperty('next_page_token')
      })

      it('refuses bad filters, view types, page tokens and max_results with INVALID_PARAMETER_VALUE', async () => {
        for (const fields of [
          { filter: "name = 'a' OR name = 'b'" },
          { filter: 'bogus' },
          { view_type: 'SOMETIMES' },
          { page_token: 'not a token' },
          { max_results: 50001 },
          { max_results: 0 },
          { order_by: ['colour ASC'] },
        ]) {
          expectMlflowError(await search(canon.mlflow, fields), 400, 'INVALID_PARAMETER_VALUE')
        }
      })
    })

    itAnsweredLikeMlflowThroughout(canon)
  })
}
