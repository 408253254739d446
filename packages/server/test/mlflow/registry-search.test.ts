import { beforeAll, describe, expect, it } from 'vitest'
import { backends } from '../support/backends'
import { createRun, expectMlflowError, itAnsweredLikeMlflowThroughout, logArtifacts, modelFiles, pageTokenText, useCanonServer, type MlflowHttp } from './mlflow-http'

const names = (body: any) => (body.registered_models ?? []).map((m: any) => m.name)
const versions = (body: any) => (body.model_versions ?? []).map((v: any) => `${v.name}/${v.version}`)

/** Follows next_page_token until the last page, as MLflow's PagedList callers do. */
async function everyPage(mlflow: MlflowHttp, endpoint: string, query: Record<string, string | number>) {
  const pages: any[] = []
  let token: string | undefined
  do {
    const page = await mlflow.get(endpoint, { ...query, page_token: token })
    expect(page.status).toBe(200)
    pages.push(page.body)
    token = page.body.next_page_token
  } while (token && pages.length < 50)
  return pages
}

for (const backend of backends) {
  describe(`MLflow registry search over HTTP (${backend})`, () => {
    const canon = useCanonServer(backend)
    const runs: string[] = []

    beforeAll(async () => {
      const { mlflow } = canon
      const model = (name: string, tags: Record<string, string> = {}) =>
        mlflow.post('/registered-models/create', { name, tags: Object.entries(tags).map(([key, value]) => ({ key, value })) })
      await model('Fraud-A', { team: 'risk', tier: 'gold' })
      await model('fraud-b', { team: 'risk', tier: 'silver' })
      await model('fraud-c', { team: 'ads' })
      await model('churn', { team: 'growth' })
      for (let i = 0; i < 105; i++) await model(`bulk-${String(i).padStart(3, '0')}`)

      for (let i = 0; i < 2; i++) {
        const { runId, artifactUri } = await createRun(mlflow)
        await logArtifacts(mlflow, artifactUri, modelFiles(`run-${i}`))
        runs.push(runId)
      }
      const version = (name: string, source: string, runId?: string, tags: Record<string, string> = {}) =>
        mlflow.post('/model-versions/create', { name, source, run_id: runId, tags: Object.entries(tags).map(([key, value]) => ({ key, value })) })
      await version('fraud-b', `runs:/${runs[0]}/model`, runs[0], { reviewed: 'yes' })
      await version('fraud-b', `runs:/${runs[1]}/model`, runs[1])
      await version('fraud-b', 's3://bucket/fraud-b/3', undefined, { reviewed: 'no' })
      await version('churn', `runs:/${runs[1]}/model`, runs[1], { reviewed: 'yes' })
    })

    describe('registered-models/search', () => {
      it.each([
        ["name = 'fraud-b'", ['fraud-b']],
        ["name != 'fraud-b' AND name LIKE '%raud%'", ['Fraud-A', 'fraud-c']],
        ["name LIKE 'fraud%'", ['fraud-b', 'fraud-c']],
        ["name ILIKE 'fraud%'", ['Fraud-A', 'fraud-b', 'fraud-c']],
        ["attribute.name ILIKE '%-A'", ['Fraud-A']],
        ["tags.team = 'risk'", ['Fraud-A', 'fraud-b']],
        ["tags.team = 'risk' AND tags.tier LIKE 'g%'", ['Fraud-A']],
        ["tag.team != 'risk' AND name ILIKE 'FRAUD%'", ['fraud-c']],
      ])('finds models matching %s', async (filter, expected) => {
        const found = await canon.mlflow.get('/registered-models/search', { filter, max_results: 100 })
        expect(found.status).toBe(200)
        expect(names(found.body)).toEqual(expected)
      })

      it('matches LIKE case-sensitively and ILIKE without regard to case', async () => {
        expect(names((await canon.mlflow.get('/registered-models/search', { filter: "name LIKE 'FRAUD%'" })).body)).toEqual([])
        expect(names((await canon.mlflow.get('/registered-models/search', { filter: "name ILIKE 'FRAUD-%'" })).body)).toHaveLength(3)
      })

      it('shows each model’s latest versions and tags in results', async () => {
        const [fraudB] = (await canon.mlflow.get('/registered-models/search', { filter: "name = 'fraud-b'" })).body.registered_models
        expect(fraudB.latest_versions).toEqual([expect.objectContaining({ version: '3', current_stage: 'None', status: 'READY' })])
        expect(fraudB.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'risk' }]))
      })

      it('orders by name ascending by default, and by name DESC or last update when asked', async () => {
        const filter = "name ILIKE 'fraud%'"
        expect(names((await canon.mlflow.get('/registered-models/search', { filter })).body)).toEqual(['Fraud-A', 'fraud-b', 'fraud-c'])
        expect(names((await canon.mlflow.get('/registered-models/search', { filter, order_by: ['name DESC'] })).body)).toEqual(['fraud-c', 'fraud-b', 'Fraud-A'])
        for (const order of ['timestamp DESC', 'last_updated_timestamp DESC']) {
          const found = (await canon.mlflow.get('/registered-models/search', { filter, order_by: [order] })).body.registered_models
          const keys = found.map((m: any) => m.last_updated_timestamp)
          expect(keys).toEqual([...keys].sort((a, b) => b - a))
          expect(found).toHaveLength(3)
        }
      })

      it('returns 100 models by default with MLflow’s page token, and the rest on the next page', async () => {
        const first = await canon.mlflow.get('/registered-models/search', { filter: "name LIKE 'bulk-%'" })
        expect(first.body.registered_models).toHaveLength(100)
        expect(first.body.next_page_token).toBe('eyJvZmZzZXQiOiAxMDB9')
        expect(pageTokenText(first.body.next_page_token)).toBe('{"offset": 100}')
        const second = await canon.mlflow.get('/registered-models/search', { filter: "name LIKE 'bulk-%'", page_token: first.body.next_page_token })
        expect(names(second.body)).toEqual(['bulk-100', 'bulk-101', 'bulk-102', 'bulk-103', 'bulk-104'])
        expect(second.body).not.toHaveProperty('next_page_token')
      })

      it('pages through every model exactly once with small pages, each token the base64 of {"offset": N}', async () => {
        const pages = await everyPage(canon.mlflow, '/registered-models/search', { filter: "name LIKE 'bulk-0%'", max_results: 30 })
        expect(pages.map((p) => p.registered_models.length)).toEqual([30, 30, 30, 10])
        expect(pages.slice(0, -1).map((p) => pageTokenText(p.next_page_token))).toEqual(['{"offset": 30}', '{"offset": 60}', '{"offset": 90}'])
        const seen = pages.flatMap(names)
        expect(new Set(seen).size).toBe(100)
        expect(seen).toEqual([...seen].sort())
      })

      it('accepts max_results up to 1000 and refuses more, or less than 1, with INVALID_PARAMETER_VALUE', async () => {
        const all = await canon.mlflow.get('/registered-models/search', { max_results: 1000 })
        expect(names(all.body).length).toBeGreaterThanOrEqual(109)
        expect(all.body).not.toHaveProperty('next_page_token')
        for (const max_results of [1001, 0, -1, 'ten']) {
          expectMlflowError(await canon.mlflow.get('/registered-models/search', { max_results }), 400, 'INVALID_PARAMETER_VALUE')
        }
      })

      it.each([
        ['not base64 at all!'],
        [Buffer.from('not json').toString('base64')],
        [Buffer.from('{"page": 2}').toString('base64')],
        [Buffer.from('{"offset": -5}').toString('base64')],
      ])('refuses the page token %s with INVALID_PARAMETER_VALUE', async (page_token) => {
        expectMlflowError(await canon.mlflow.get('/registered-models/search', { page_token }), 400, 'INVALID_PARAMETER_VALUE')
      })

      it.each([["name = 'a' OR name = 'b'"], ["name IN ('a')"], ['name = fraud'], ["creation_timestamp > 'x'"], ["metrics.acc > 1"], ['name ='], ["name = 'a';"]])(
        'refuses the filter %s with INVALID_PARAMETER_VALUE',
        async (filter) => {
          expectMlflowError(await canon.mlflow.get('/registered-models/search', { filter }), 400, 'INVALID_PARAMETER_VALUE')
        },
      )

      it('refuses to order by creation_timestamp, as MLflow’s store does', async () => {
        expectMlflowError(await canon.mlflow.get('/registered-models/search', { order_by: ['creation_timestamp'] }), 400, 'INVALID_PARAMETER_VALUE')
      })
    })

    describe('model-versions/search', () => {
      it.each([
        ["name = 'fraud-b'", ['fraud-b/1', 'fraud-b/2', 'fraud-b/3']],
        ["name = 'fraud-b' AND version_number > 1", ['fraud-b/2', 'fraud-b/3']],
        ["name = 'fraud-b' AND version_number <= 2", ['fraud-b/1', 'fraud-b/2']],
        ["name = 'fraud-b' AND version_number != 2", ['fraud-b/1', 'fraud-b/3']],
        ["source_path = 's3://bucket/fraud-b/3'", ['fraud-b/3']],
        ["source_path LIKE 's3://%'", ['fraud-b/3']],
        ["tags.reviewed = 'yes'", ['churn/1', 'fraud-b/1']],
        ["tag.reviewed != 'yes'", ['fraud-b/3']],
        ["name ILIKE 'FRAUD-%' AND tags.reviewed LIKE '%'", ['fraud-b/1', 'fraud-b/3']],
      ])('finds versions matching %s', async (filter, expected) => {
        const found = await canon.mlflow.get('/model-versions/search', { filter, max_results: 10000 })
        expect(found.status).toBe(200)
        expect(versions(found.body).sort()).toEqual(expected)
      })

      it('finds the versions registered from a run by run_id =, and from several runs by run_id IN (...)', async () => {
        const [first, second] = runs
        expect(versions((await canon.mlflow.get('/model-versions/search', { filter: `run_id = '${first}'` })).body)).toEqual(['fraud-b/1'])
        const both = await canon.mlflow.get('/model-versions/search', { filter: `run_id IN ('${first}', '${second}')` })
        expect(versions(both.body).sort()).toEqual(['churn/1', 'fraud-b/1', 'fraud-b/2'])
      })

      it('answers versions in MLflow’s shape, without aliases', async () => {
        await canon.mlflow.post('/registered-models/alias', { name: 'fraud-b', alias: 'champion', version: '1' })
        const [v1] = (await canon.mlflow.get('/model-versions/search', { filter: `name = 'fraud-b' AND version_number = 1` })).body.model_versions
        expect(v1).toMatchObject({ name: 'fraud-b', version: '1', current_stage: 'None', status: 'READY', run_id: runs[0], source: `runs:/${runs[0]}/model`, tags: [{ key: 'reviewed', value: 'yes' }] })
        expect(typeof v1.creation_timestamp).toBe('number')
        expect(typeof v1.last_updated_timestamp).toBe('number')
        expect(v1).not.toHaveProperty('aliases')
      })

      it('orders by version number when asked', async () => {
        const filter = "name = 'fraud-b'"
        expect(versions((await canon.mlflow.get('/model-versions/search', { filter, order_by: ['version_number DESC'] })).body)).toEqual(['fraud-b/3', 'fraud-b/2', 'fraud-b/1'])
        expect(versions((await canon.mlflow.get('/model-versions/search', { filter, order_by: ['version_number ASC'] })).body)).toEqual(['fraud-b/1', 'fraud-b/2', 'fraud-b/3'])
      })

      it('pages through versions with MLflow page tokens, no token after the last page', async () => {
        const pages = await everyPage(canon.mlflow, '/model-versions/search', { filter: "name = 'fraud-b'", max_results: 2, order_by: 'version_number ASC' })
        expect(pages.map(versions)).toEqual([['fraud-b/1', 'fraud-b/2'], ['fraud-b/3']])
        expect(pageTokenText(pages[0].next_page_token)).toBe('{"offset": 2}')
        expect(pages[1]).not.toHaveProperty('next_page_token')
      })

      it('leaves out deleted versions', async () => {
        await canon.mlflow.post('/registered-models/create', { name: 'pruned' })
        await canon.mlflow.post('/model-versions/create', { name: 'pruned', source: 's3://bucket/pruned/1' })
        await canon.mlflow.post('/model-versions/create', { name: 'pruned', source: 's3://bucket/pruned/2' })
        await canon.mlflow.delete('/model-versions/delete', { name: 'pruned', version: '1' })
        expect(versions((await canon.mlflow.get('/model-versions/search', { filter: "name = 'pruned'" })).body)).toEqual(['pruned/2'])
      })

      it('accepts the Python client’s max_results of 10000 and MLflow’s limit of 200000, and refuses more', async () => {
        expect((await canon.mlflow.get('/model-versions/search', { filter: "name = 'churn'", max_results: 10000 })).status).toBe(200)
        expect((await canon.mlflow.get('/model-versions/search', { filter: "name = 'churn'", max_results: 200000 })).status).toBe(200)
        expectMlflowError(await canon.mlflow.get('/model-versions/search', { max_results: 200001 }), 400, 'INVALID_PARAMETER_VALUE')
        expectMlflowError(await canon.mlflow.get('/model-versions/search', { max_results: 0 }), 400, 'INVALID_PARAMETER_VALUE')
      })

      it.each([["run_id NOT IN ('a')"], ["name IN ('a')"], ['version_number > one'], ["version_number = '1' OR name = 'x'"], ["metrics.acc > 1"], ["bogus = 'x'"]])(
        'refuses the filter %s with INVALID_PARAMETER_VALUE',
        async (filter) => {
          expectMlflowError(await canon.mlflow.get('/model-versions/search', { filter }), 400, 'INVALID_PARAMETER_VALUE')
        },
      )

      it('refuses a page token it did not hand out', async () => {
        expectMlflowError(await canon.mlflow.get('/model-versions/search', { page_token: '%%%' }), 400, 'INVALID_PARAMETER_VALUE')
        expectMlflowError(await canon.mlflow.get('/model-versions/search', { page_token: Buffer.from('{"offset": "x"}').toString('base64') }), 400, 'INVALID_PARAMETER_VALUE')
      })
    })

    itAnsweredLikeMlflowThroughout(canon)
  })
}

