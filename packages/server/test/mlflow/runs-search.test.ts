import { beforeAll, describe, expect, it } from 'vitest'
import { backends } from '../support/backends'
import { expectMlflowError, itAnsweredLikeMlflowThroughout, pageTokenText, useCanonServer, type MlflowHttp } from './mlflow-http'

/** `MlflowClient.search_runs` as the Python client sends it. */
const search = (mlflow: MlflowHttp, experimentIds: string[], fields: Record<string, unknown> = {}) =>
  mlflow.post('/runs/search', { experiment_ids: experimentIds, filter: '', run_view_type: 'ACTIVE_ONLY', max_results: 1000, ...fields })

interface RunSpec {
  name: string
  startTime: number
  status: string
  params?: Record<string, string>
  metrics?: Record<string, number | string>
  tags?: Record<string, string>
  dataset?: string
}

// rmse is logged twice for run-a: only its latest value (0.3) counts in filters and ordering.
const specs: RunSpec[] = [
  { name: 'run-a', startTime: 1000, status: 'FINISHED', params: { alpha: '0.1', model: 'rf' }, metrics: { rmse: 0.3 }, tags: { stage: 'train' }, dataset: 'churn-train' },
  { name: 'run-b', startTime: 2000, status: 'RUNNING', params: { alpha: '0.5', model: 'lr' }, metrics: { rmse: 0.2 }, tags: { stage: 'eval' } },
  { name: 'run-c', startTime: 3000, status: 'FAILED', params: { model: 'RF' }, metrics: { rmse: 'NaN' } },
  { name: 'run-d', startTime: 4000, status: 'KILLED', params: { alpha: '0.9' } },
]

for (const backend of backends) {
  describe(`MLflow run search (${backend})`, () => {
    const canon = useCanonServer(backend)
    let experiment: string
    const ids: Record<string, string> = {}
    const namesOf = (body: any) => (body.runs ?? []).map((r: any) => r.info.run_name)

    beforeAll(async () => {
      const { mlflow } = canon
      experiment = (await mlflow.post('/experiments/create', { name: 'run-search' })).body.experiment_id
      for (const spec of specs) {
        const created = await mlflow.post('/runs/create', { experiment_id: experiment, user_id: 'ana', run_name: spec.name, start_time: spec.startTime })
        const runId: string = created.body.run.info.run_id
        ids[spec.name] = runId
        if (spec.name === 'run-a') await mlflow.post('/runs/log-metric', { run_id: runId, key: 'rmse', value: 0.5, timestamp: 1, step: 0 })
        await mlflow.post('/runs/log-batch', {
          run_id: runId,
          params: Object.entries(spec.params ?? {}).map(([key, value]) => ({ key, value })),
          metrics: Object.entries(spec.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: 2, step: 1 })),
          tags: Object.entries(spec.tags ?? {}).map(([key, value]) => ({ key, value })),
        })
        if (spec.dataset) {
          await mlflow.post('/runs/log-inputs', {
            run_id: runId,
            datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: { name: spec.dataset, digest: 'd1', source_type: 'local', source: '{}' } }],
          })
        }
        await mlflow.post('/runs/update', { run_id: runId, status: spec.status })
      }
    })

    it.each([
      ["params.model = 'rf'", ['run-a']],
      ["params.model ILIKE 'rf'", ['run-a', 'run-c']],
      ["params.model LIKE 'R%'", ['run-c']],
      ["params.alpha != '0.1'", ['run-b', 'run-d']],
      ['metrics.rmse < 0.4 AND metrics.rmse > 0.1', ['run-a', 'run-b']],
      // a NaN metric compares as neither small nor large
      ['metrics.rmse < 0.4', ['run-a', 'run-b']],
      ['metrics.rmse > 0.4', []],
      ['metrics.rmse >= 0.3', ['run-a']],
      ["tags.stage = 'train'", ['run-a']],
      ["tags.stage != 'train'", ['run-b']],
      ["attributes.status = 'FINISHED'", ['run-a']],
      ["status != 'FINISHED' AND params.alpha LIKE '0.%'", ['run-b', 'run-d']],
      ["attributes.run_name = 'run-b'", ['run-b']],
      ["run_name LIKE 'run-%' AND attributes.start_time >= 3000", ['run-c', 'run-d']],
      ['attributes.start_time < 2000', ['run-a']],
      ["tags.`mlflow.runName` = 'run-c'", ['run-c']],
      ["datasets.name = 'churn-train'", ['run-a']],
      ["datasets.context = 'training'", ['run-a']],
      ["attributes.user_id = 'ana' AND params.model = 'lr'", ['run-b']],
    ])('finds runs matching %s', async (filter, expected) => {
      const found = await search(canon.mlflow, [experiment], { filter })
      expect(found.status).toBe(200)
      expect(namesOf(found.body).sort()).toEqual(expected)
    })

    it('finds runs by run_id, one or several', async () => {
      expect(namesOf((await search(canon.mlflow, [experiment], { filter: `attributes.run_id = '${ids['run-b']}'` })).body)).toEqual(['run-b'])
      const several = await search(canon.mlflow, [experiment], { filter: `run_id IN ('${ids['run-a']}', '${ids['run-d']}')` })
      expect(namesOf(several.body).sort()).toEqual(['run-a', 'run-d'])
    })

    it('answers each run with its info, latest metrics, params, tags and inputs', async () => {
      const [runA] = (await search(canon.mlflow, [experiment], { filter: "attributes.run_name = 'run-a'" })).body.runs
      expect(runA.info).toMatchObject({ run_id: ids['run-a'], run_uuid: ids['run-a'], experiment_id: experiment, status: 'FINISHED', start_time: 1000, lifecycle_stage: 'active' })
      expect(runA.data.metrics).toEqual([{ key: 'rmse', value: 0.3, timestamp: 2, step: 1 }])
      expect(runA.data.params).toEqual(expect.arrayContaining([{ key: 'alpha', value: '0.1' }, { key: 'model', value: 'rf' }]))
      expect(runA.inputs.dataset_inputs[0].dataset.name).toBe('churn-train')
      const [runC] = (await search(canon.mlflow, [experiment], { filter: "attributes.run_name = 'run-c'" })).body.runs
      expect(runC.data.metrics).toEqual([{ key: 'rmse', value: 'NaN', timestamp: 2, step: 1 }])
    })

    it('orders newest first by default', async () => {
      expect(namesOf((await search(canon.mlflow, [experiment])).body)).toEqual(['run-d', 'run-c', 'run-b', 'run-a'])
    })

    it.each([
      [['attributes.start_time ASC'], ['run-a', 'run-b', 'run-c', 'run-d']],
      [['start_time DESC'], ['run-d', 'run-c', 'run-b', 'run-a']],
      [['attributes.run_name DESC'], ['run-d', 'run-c', 'run-b', 'run-a']],
      // numbers first, then NaN, then runs without the metric, in either direction
      [['metrics.rmse ASC'], ['run-b', 'run-a', 'run-c', 'run-d']],
      [['metrics.rmse DESC'], ['run-a', 'run-b', 'run-c', 'run-d']],
      // runs without the param or tag come last, in either direction
      [['params.alpha ASC'], ['run-a', 'run-b', 'run-d', 'run-c']],
      [['params.alpha DESC'], ['run-d', 'run-b', 'run-a', 'run-c']],
      [['tags.stage ASC', 'start_time ASC'], ['run-b', 'run-a', 'run-c', 'run-d']],
    ])('orders by %j', async (order_by, expected) => {
      expect(namesOf((await search(canon.mlflow, [experiment], { order_by })).body)).toEqual(expected)
    })

    it('hands out a page token whenever a page is full, so every run is seen exactly once', async () => {
      const seen: string[] = []
      const tokens: string[] = []
      let token: string | undefined
      let pages = 0
      do {
        const page = await search(canon.mlflow, [experiment], { max_results: 2, order_by: ['attributes.start_time ASC'], page_token: token })
        expect(page.status).toBe(200)
        seen.push(...namesOf(page.body))
        token = page.body.next_page_token
        if (token) tokens.push(pageTokenText(token))
        pages++
      } while (token && pages < 10)
      expect(seen).toEqual(['run-a', 'run-b', 'run-c', 'run-d'])
      // MLflow's runs paging: the full last page still carries a token, and the page after it is empty.
      expect(tokens).toEqual(['{"offset": 2}', '{"offset": 4}'])
      expect(pages).toBe(3)
    })

    it('finds deleted runs only when the view type asks for them', async () => {
      const { mlflow } = canon
      const gone = (await mlflow.post('/runs/create', { experiment_id: experiment, run_name: 'run-gone', start_time: 5000 })).body.run.info.run_id
      await mlflow.post('/runs/delete', { run_id: gone })
      expect(namesOf((await search(mlflow, [experiment])).body)).not.toContain('run-gone')
      expect(namesOf((await search(mlflow, [experiment], { run_view_type: 'DELETED_ONLY' })).body)).toEqual(['run-gone'])
      expect(namesOf((await search(mlflow, [experiment], { run_view_type: 'ALL' })).body)).toHaveLength(5)
      expect(namesOf((await search(mlflow, [experiment], { run_view_type: 2 })).body)).toEqual(['run-gone'])
    })

    it('searches several experiments at once, and none when no experiment is named', async () => {
      const other = (await canon.mlflow.post('/experiments/create', { name: 'run-search-other' })).body.experiment_id
      await canon.mlflow.post('/runs/create', { experiment_id: other, run_name: 'elsewhere', start_time: 1 })
      expect(namesOf((await search(canon.mlflow, [experiment, other], { filter: "attributes.run_name = 'elsewhere'" })).body)).toEqual(['elsewhere'])
      expect(namesOf((await search(canon.mlflow, [experiment, other])).body)).toHaveLength(5)
      expect((await search(canon.mlflow, [])).body).toEqual({})
    })

    it.each([
      ["metrics.rmse <> 'x' bogus"],
      ["params.alpha > '0.1'"],
      ['metrics.rmse = abc'],
      ["params.alpha = '1' OR params.alpha = '2'"],
      ["colour = 'red'"],
    ])('refuses the filter %s with INVALID_PARAMETER_VALUE', async (filter) => {
      expectMlflowError(await search(canon.mlflow, [experiment], { filter }), 400, 'INVALID_PARAMETER_VALUE')
    })

    it('refuses bad order_by, page tokens, view types and max_results with INVALID_PARAMETER_VALUE', async () => {
      for (const fields of [{ order_by: ['colour ASC'] }, { page_token: '!!' }, { run_view_type: 'SOMETIMES' }, { max_results: 50001 }, { max_results: 0 }]) {
        expectMlflowError(await search(canon.mlflow, [experiment], fields), 400, 'INVALID_PARAMETER_VALUE')
      }
    })

    itAnsweredLikeMlflowThroughout(canon)
  })
}
