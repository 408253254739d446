import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client, enc } from '../support/http'

// Lineage through the real HTTP faces: native runs, explicit lineage, MLflow-tracked runs, and the reverse questions.

describe.each(backends)('lineage on %s', (backend) => {
  let server: TestServer
  let api: ReturnType<typeof client>

  beforeAll(async () => {
    server = await startTestServer(backend)
    api = client(server.url)
  })
  afterAll(async () => {
    await server?.stop()
  })

  const bytes = (text: string) => new TextEncoder().encode(text)
  const putArtifact = (runId: string, path: string, text: string) =>
    fetch(`${server.url}/api/v1/runs/${runId}/artifacts/${path}`, { method: 'PUT', body: bytes(text), headers: { 'content-type': 'application/octet-stream' } })

  it('records a training script run natively and registers a version whose graph leads back to run, experiment, data, code and environment', async () => {
    const run = await api.post('/api/v1/runs', { experiment: 'churn-training', name: 'nightly', params: { max_depth: '6' } })
    expect(run.status).toBe(201)
    const id = run.body.id as string
    expect(run.body).toMatchObject({ experiment: { name: 'churn-training' }, status: 'RUNNING', params: { max_depth: '6' } })

    const logged = await api.post(`/api/v1/runs/${id}/log`, {
      metrics: [0.71, 0.8, 0.86].map((value, step) => ({ key: 'val_auc', value, step })),
      params: { learning_rate: '0.1' },
      datasets: [
        { uri: 'dataset://churn-events/2024-06', digest: 'sha256:aaa' },
        { uri: 's3://bucket/holdout.parquet', digest: 'sha256:bbb', role: 'validation' },
      ],
    })
    expect(logged.status).toBe(200)
    expect(logged.body.metrics).toEqual({ val_auc: 0.86 })
    expect(logged.body.datasets).toEqual(
      expect.arrayContaining([
        { uri: 'dataset://churn-events/2024-06', digest: 'sha256:aaa', role: 'training' },
        { uri: 's3://bucket/holdout.parquet', digest: 'sha256:bbb', role: 'validation' },
      ]),
    )
    expect((await putArtifact(id, 'model/model.pkl', 'weights')).status).toBe(201)
    expect((await putArtifact(id, 'model/MLmodel', 'flavors: {}')).status).toBe(201)
    expect((await putArtifact(id, 'notes.txt', 'not part of the model')).status).toBe(201)
    const history = await api.get(`/api/v1/runs/${id}/metrics/val_auc`)
    expect(history.body.history.map((p: { step: number; value: number }) => [p.step, p.value])).toEqual([[0, 0.71], [1, 0.8], [2, 0.86]])

    const ended = await api.post(`/api/v1/runs/${id}/end`, {})
    expect(ended.body).toMatchObject({ status: 'FINISHED' })
    expect(ended.body.durationMs).toBeGreaterThanOrEqual(0)

    const registered = await api.post(`/api/v1/runs/${id}/register`, {
      model: 'churn',
      path: 'model',
      lineage: {
        code: { repository: 'https://git.example.com/risk/churn.git', commit: 'a1b2c3d4e5f6', branch: 'main', dirty: false, entryPoint: 'train.py' },
        environment: { image: 'python:3.11-slim', runtime: { python: '3.11.7' }, packages: ['scikit-learn==1.5.2', 'pandas==2.2.2'] },
      },
    })
    expect(registered.status).toBe(201)
    expect(registered.body).toMatchObject({ model: 'churn', version: 1, runId: id, source: `runs:/${id}/model`, metrics: { val_auc: 0.86 }, params: { max_depth: '6', learning_rate: '0.1' } })
    expect(registered.body.files.map((f: { path: string }) => f.path).sort()).toEqual(['MLmodel', 'model.pkl'])

    const graph = await api.get('/api/v1/models/churn/versions/1/lineage')
    expect(graph.status).toBe(200)
    const kinds = graph.body.nodes.map((n: { kind: string }) => n.kind).sort()
    expect(kinds).toEqual(['code', 'dataset', 'dataset', 'environment', 'experiment', 'run', 'version'])
    const runNode = graph.body.nodes.find((n: { kind: string }) => n.kind === 'run')
    expect(runNode.data).toMatchObject({ runId: id, tracked: true, status: 'FINISHED', params: { max_depth: '6' }, metrics: { val_auc: 0.86 } })
    expect(runNode.data.metricHistory.val_auc).toHaveLength(3)
    const edge = (kind: string) => graph.body.edges.filter((e: { kind: string }) => e.kind === kind).length
    expect({ produced_by: edge('produced_by'), part_of: edge('part_of'), trained_on: edge('trained_on'), validation_on: edge('validation_on'), built_from: edge('built_from'), runs_in: edge('runs_in') }).toEqual({
      produced_by: 1,
      part_of: 1,
      trained_on: 1,
      validation_on: 1,
      built_from: 1,
      runs_in: 1,
    })
    expect(graph.body.nodes.find((n: { kind: string }) => n.kind === 'code').data).toMatchObject({ commit: 'a1b2c3d4e5f6', dirty: false, entryPoint: 'train.py' })
  })

  it('keeps one node per dataset and answers which versions trained on it, by digest, stage and serving', async () => {
    const weights = await api.upload('model.bin', bytes('shared weights'))
    const make = async (model: string, datasets: { uri: string; digest: string }[], parent?: { model: string; version: number }) => {
      const created = await api.post(`/api/v1/models/${enc(model)}/versions`, { files: [weights], lineage: { datasets, ...(parent && { parent }) } })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      return created.body.version as number
    }
    await api.post('/api/v1/models', { name: 'fraud' })
    await api.post('/api/v1/models', { name: 'fraud-eu' })
    const june = { uri: 'dataset://transactions/2024-06', digest: 'sha256:june' }
    const juneFixed = { uri: 'dataset://transactions/2024-06', digest: 'sha256:june-fixed' }
    const base = await make('fraud', [june])
    const tuned = await make('fraud-eu', [june], { model: 'fraud', version: base })
    await make('fraud', [juneFixed])

    const any = await api.get(`/api/v1/datasets/consumers?uri=${enc(june.uri)}`)
    expect(any.status).toBe(200)
    expect(any.body.datasets.map((d: { digest: string }) => d.digest).sort()).toEqual(['sha256:june', 'sha256:june-fixed'])
    expect(any.body.items.map((v: { model: string; version: number }) => `${v.model}/${v.version}`)).toEqual([`fraud/${base}`, `fraud-eu/${tuned}`, 'fraud/2'])

    const oneDigest = await api.get(`/api/v1/datasets/consumers?uri=${enc(june.uri)}&digest=${enc('sha256:june')}`)
    expect(oneDigest.body.items.map((v: { model: string }) => v.model)).toEqual(['fraud', 'fraud-eu'])

    await api.post(`/api/v1/models/fraud/versions/${base}/stage`, { stage: 'Production' })
    const production = await api.get(`/api/v1/datasets/consumers?uri=${enc(june.uri)}&stage=Production`)
    expect(production.body.items).toEqual([expect.objectContaining({ model: 'fraud', version: base, stage: 'Production' })])

    expect((await api.put('/api/v1/deployments/fraud-eu-api', { model: 'fraud-eu', environment: 'prod', split: { [tuned]: 100 } })).status).toBe(200)
    const serving = await api.get(`/api/v1/datasets/consumers?uri=${enc(june.uri)}&serving=true`)
    expect(serving.body.items).toEqual([expect.objectContaining({ model: 'fraud-eu', version: tuned, serving: [{ deployment: 'fraud-eu-api', environment: 'prod', weight: 100 }] })])

    const paged = await api.get(`/api/v1/datasets/consumers?uri=${enc(june.uri)}&limit=2`)
    expect(paged.body.items).toHaveLength(2)
    const rest = await api.get(`/api/v1/datasets/consumers?uri=${enc(june.uri)}&limit=2&cursor=${paged.body.nextCursor}`)
    expect(rest.body.items.map((v: { version: number }) => v.version)).toEqual([2])
    expect(rest.body.nextCursor).toBeNull()

    // the fine-tuned version: its graph shows the parent upstream; the parent's shows it downstream, and the deployment
    const child = await api.get(`/api/v1/models/fraud-eu/versions/${tuned}/lineage`)
    expect(child.body.edges).toContainEqual({ from: `version:fraud-eu/${tuned}`, to: `version:fraud/${base}`, kind: 'fine_tuned_from' })
    expect(child.body.edges).toContainEqual({ from: 'deployment:fraud-eu-api', to: `version:fraud-eu/${tuned}`, kind: 'serves' })
    const datasetNodes = child.body.nodes.filter((n: { kind: string }) => n.kind === 'dataset')
    const parentGraph = await api.get(`/api/v1/models/fraud/versions/${base}/lineage`)
    expect(parentGraph.body.nodes.filter((n: { kind: string }) => n.kind === 'dataset').map((n: { id: string }) => n.id)).toEqual(datasetNodes.map((n: { id: string }) => n.id))
    expect(parentGraph.body.edges).toContainEqual({ from: `version:fraud-eu/${tuned}`, to: `version:fraud/${base}`, kind: 'fine_tuned_from' })

    const descendants = await api.get(`/api/v1/models/fraud/versions/${base}/descendants`)
    expect(descendants.body).toEqual({ items: [expect.objectContaining({ model: 'fraud-eu', version: tuned, parent: { model: 'fraud', version: base }, depth: 1 })], truncated: false })
  })

  it('walks several generations and says when it stopped at the depth bound', async () => {
    const weights = await api.upload('model.bin', bytes('generations'))
    await api.post('/api/v1/models', { name: 'llm' })
    let parent: { model: string; version: number } | undefined
    for (let i = 0; i < 4; i++) {
      const created = await api.post('/api/v1/models/llm/versions', { files: [weights], ...(parent && { lineage: { parent } }) })
      parent = { model: 'llm', version: created.body.version }
    }
    const all = await api.get('/api/v1/models/llm/versions/1/descendants?depth=5')
    expect(all.body.items.map((d: { version: number; depth: number }) => [d.version, d.depth])).toEqual([[2, 1], [3, 2], [4, 3]])
    expect(all.body.truncated).toBe(false)
    const two = await api.get('/api/v1/models/llm/versions/1/descendants?depth=2')
    expect(two.body.items.map((d: { version: number }) => d.version)).toEqual([2, 3])
    expect(two.body.truncated).toBe(true)
    const ancestors = await api.get('/api/v1/models/llm/versions/4/lineage?depth=10')
    expect(ancestors.body.edges.filter((e: { kind: string }) => e.kind === 'fine_tuned_from')).toHaveLength(3)
  })

  it('refuses a parent that does not exist and a dataset that is not a URI, creating nothing', async () => {
    const weights = await api.upload('model.bin', bytes('refused'))
    await api.post('/api/v1/models', { name: 'refused' })
    const noParent = await api.post('/api/v1/models/refused/versions', { files: [weights], lineage: { parent: { model: 'refused', version: 7 } } })
    expect(noParent.status).toBe(404)
    expect(noParent.body.error.code).toBe('VERSION_NOT_FOUND')
    const notUri = await api.post('/api/v1/models/refused/versions', { files: [weights], lineage: { datasets: [{ uri: 'my data', digest: 'x' }] } })
    expect(notUri.status).toBe(400)
    expect(notUri.body.error.code).toBe('INVALID_URI')
    expect((await api.get('/api/v1/models/refused')).body.latestVersion).toBeNull()
  })

  it('takes datasets and git facts from a run tracked through the MLflow face', async () => {
    const ml = '/api/2.0/mlflow'
    const experiment = await api.post(`${ml}/experiments/create`, { name: 'mlflow-lineage' })
    const run = await api.post(`${ml}/runs/create`, { experiment_id: experiment.body.experiment_id, start_time: Date.now() })
    const runId = run.body.run.info.run_id as string
    await api.post(`${ml}/runs/set-tag`, { run_id: runId, key: 'mlflow.source.git.commit', value: '0123456789abcdef' })
    await api.post(`${ml}/runs/set-tag`, { run_id: runId, key: 'mlflow.source.name', value: 'train.py' })
    await api.post(`${ml}/runs/log-inputs`, {
      run_id: runId,
      datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: { name: 'iris', digest: 'd41d8cd9', source_type: 'local', source: JSON.stringify({ uri: '/data/iris.csv' }) } }],
    })
    const upload = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${experiment.body.experiment_id}/${runId}/artifacts/model/model.pkl`, { method: 'PUT', body: bytes('pickle'), headers: { 'content-type': 'application/octet-stream' } })
    expect(upload.status, await upload.clone().text()).toBe(200)
    await api.post(`${ml}/registered-models/create`, { name: 'iris' })
    const created = await api.post(`${ml}/model-versions/create`, { name: 'iris', source: `runs:/${runId}/model`, run_id: runId })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const graph = await api.get('/api/v1/models/iris/versions/1/lineage')
    expect(graph.body.nodes.find((n: { kind: string }) => n.kind === 'dataset')?.data).toMatchObject({ uri: 'file:///data/iris.csv', digest: 'd41d8cd9' })
    expect(graph.body.nodes.find((n: { kind: string }) => n.kind === 'code')?.data).toMatchObject({ commit: '0123456789abcdef', entryPoint: 'train.py' })
  })
})
