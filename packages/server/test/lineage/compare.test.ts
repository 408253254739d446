import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client } from '../support/http'

describe.each(backends)('version comparison on %s', (backend) => {
  let server: TestServer
  let api: ReturnType<typeof client>

  beforeAll(async () => {
    server = await startTestServer(backend)
    api = client(server.url)
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('puts versions side by side with deltas against the first and the Production version', async () => {
    const enc = new TextEncoder()
    const config = await api.upload('config.json', enc.encode('{"depth": 6}'))
    const weightsA = await api.upload('model.bin', enc.encode('weights A'))
    const weightsB = await api.upload('model.bin', enc.encode('weights B, larger'))
    const readme = await api.upload('README.md', enc.encode('# churn'))
    await api.post('/api/v1/models', { name: 'churn' })
    const create = (body: object) => api.post('/api/v1/models/churn/versions', body)
    const v1 = await create({
      files: [config, weightsA],
      metrics: { auc: 0.8, loss: 0.5 },
      params: { depth: '6', lr: '0.1' },
      lineage: { datasets: [{ uri: 'dataset://events/1', digest: 'd1' }], code: { commit: 'aaa', branch: 'main' }, environment: { image: 'py:3.11', packages: ['scikit-learn==1.4.0', 'numpy==1.26.0'] } },
    })
    expect(v1.status).toBe(201)
    await create({ files: [config, weightsA], metrics: { auc: 0.85 }, params: { depth: '6', lr: '0.1' } })
    const v3 = await create({
      files: [config, weightsB, readme],
      metrics: { auc: 0.9, loss: 0.4, f1: 0.7 },
      params: { depth: '8', lr: '0.1' },
      lineage: { datasets: [{ uri: 'dataset://events/2', digest: 'd2' }], code: { commit: 'bbb', branch: 'main', dirty: true }, environment: { image: 'py:3.11', packages: ['scikit-learn==1.5.2', 'numpy==1.26.0'] } },
    })
    expect(v3.status).toBe(201)
    await api.post('/api/v1/models/churn/versions/2/stage', { stage: 'Production' })

    const compared = await api.get('/api/v1/models/churn/compare?versions=1,3')
    expect(compared.status).toBe(200)
    const c = compared.body
    expect(c.versions).toEqual([1, 3])
    expect(c.productionVersion).toBe(2)
    const metric = (key: string) => c.metrics.find((m: { key: string }) => m.key === key)
    expect(metric('auc').values).toEqual([0.8, 0.9])
    expect(metric('auc').deltaVsFirst[0]).toBe(0)
    expect(metric('auc').deltaVsFirst[1]).toBeCloseTo(0.1, 10)
    expect(metric('auc').production).toBe(0.85)
    expect(metric('auc').deltaVsProduction[0]).toBeCloseTo(-0.05, 10)
    expect(metric('auc').deltaVsProduction[1]).toBeCloseTo(0.05, 10)
    expect(metric('f1')).toMatchObject({ values: [null, 0.7], deltaVsFirst: [null, null], production: null })
    expect(c.params).toEqual({ changed: [{ key: 'depth', values: ['6', '8'] }], unchanged: [{ key: 'lr', value: '0.1' }] })
    expect(c.datasets).toEqual([
      { uri: 'dataset://events/1', digest: 'd1', usedBy: [true, false] },
      { uri: 'dataset://events/2', digest: 'd2', usedBy: [false, true] },
    ])
    expect(c.code.find((f: { field: string }) => f.field === 'commit')).toEqual({ field: 'commit', values: ['aaa', 'bbb'], same: false })
    expect(c.code.find((f: { field: string }) => f.field === 'branch')).toEqual({ field: 'branch', values: ['main', 'main'], same: true })
    expect(c.environment.changed).toEqual([{ key: 'package.scikit-learn', values: ['==1.4.0', '==1.5.2'] }])
    expect(c.environment.unchanged).toEqual([
      { key: 'image', value: 'py:3.11' },
      { key: 'package.numpy', value: '==1.26.0' },
    ])
    const file = (path: string) => c.files.find((f: { path: string }) => f.path === path)
    expect(file('config.json')).toMatchObject({ status: 'same' })
    expect(file('model.bin')).toMatchObject({ status: 'changed', digests: [weightsA.digest, weightsB.digest], sizes: [weightsA.size, weightsB.size] })
    expect(file('README.md')).toMatchObject({ status: 'added', digests: [null, readme.digest] })
    expect(c.overview.map((o: { version: number; totalSize: number; codeCommit: string | null }) => [o.version, o.totalSize, o.codeCommit])).toEqual([
      [1, config.size + weightsA.size, 'aaa'],
      [3, config.size + weightsB.size + readme.size, 'bbb'],
    ])

    const reversed = await api.get('/api/v1/models/churn/compare?versions=3,1')
    expect(reversed.body.files.find((f: { path: string }) => f.path === 'README.md')).toMatchObject({ status: 'removed' })
  })

  it('reports training duration from a tracked run', async () => {
    const run = await api.post('/api/v1/runs', { experiment: 'durations' })
    await fetch(`${server.url}/api/v1/runs/${run.body.id}/artifacts/m.bin`, { method: 'PUT', body: new TextEncoder().encode('m'), headers: { 'content-type': 'application/octet-stream' } })
    const ended = await api.post(`/api/v1/runs/${run.body.id}/end`, {})
    await api.post(`/api/v1/runs/${run.body.id}/register`, { model: 'timed' })
    await api.post(`/api/v1/runs/${run.body.id}/register`, { model: 'timed' })
    const compared = await api.get('/api/v1/models/timed/compare?versions=1,2')
    expect(compared.body.overview.map((o: { trainingDurationMs: number }) => o.trainingDurationMs)).toEqual([ended.body.durationMs, ended.body.durationMs])
  })
})
