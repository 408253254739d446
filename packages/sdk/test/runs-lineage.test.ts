import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isCanonApiError } from '../src/index'
import { backends, makeVersion, tempDir, useServer } from './support'

describe.each(backends)('runs, lineage, comparison and deployments through the SDK on %s', (backend) => {
  const ctx = useServer(backend)

  it('reads like a training script: start, log, upload, end, register', async () => {
    const { canon } = ctx
    const dir = await tempDir()
    await mkdir(join(dir.path, 'model'))
    await writeFile(join(dir.path, 'model', 'model.pkl'), 'pickled forest')
    await writeFile(join(dir.path, 'model', 'MLmodel'), 'flavors: {}')

    const run = await canon.startRun({ experiment: 'sdk-training', name: 'forest' })
    await run.logParams({ max_depth: 6, n_estimators: 200 })
    for (let epoch = 0; epoch < 3; epoch++) await run.logMetrics({ val_auc: [0.8, 0.81, 0.82][epoch]!, loss: 1 / (epoch + 1) }, { step: epoch })
    await run.logDatasets([{ uri: 'dataset://churn/2024-06', digest: 'sha256:feed' }])
    expect(await run.logArtifacts(join(dir.path, 'model'), 'model')).toBe(2)
    const ended = await run.end()
    expect(ended).toMatchObject({ status: 'FINISHED', params: { max_depth: '6', n_estimators: '200' }, metrics: { val_auc: 0.82, loss: 1 / 3 } })
    expect((await run.metricHistory('val_auc')).history.map((p) => p.step)).toEqual([0, 1, 2])

    const version = await run.registerVersion('sdk-churn', { path: 'model', lineage: { code: { commit: 'abc123' } } })
    expect(version).toMatchObject({ model: 'sdk-churn', version: 1, runId: run.id, params: { max_depth: '6' } })
    expect(version.files.map((f) => f.path).sort()).toEqual(['MLmodel', 'model.pkl'])

    const graph = await canon.lineage.graph('sdk-churn', 1)
    expect(graph.nodes.map((n) => n.kind).sort()).toEqual(['code', 'dataset', 'experiment', 'run', 'version'])
    const consumers = await canon.lineage.datasetConsumers({ uri: 'dataset://churn/2024-06' })
    expect(consumers.items.map((v) => `${v.model}/${v.version}`)).toEqual(['sdk-churn/1'])
    await dir.remove()
  })

  it('pushes with lineage options, compares versions and deploys a split', async () => {
    const { canon } = ctx
    await makeVersion(canon, 'sdk-split', { 'model.bin': 'one' }, { metrics: { auc: 0.8 } })
    await makeVersion(canon, 'sdk-split', { 'model.bin': 'two' }, { metrics: { auc: 0.9 }, lineage: { parent: { model: 'sdk-split', version: 1 } } })
    const comparison = await canon.lineage.compare('sdk-split', [1, 2])
    expect(comparison.metrics).toEqual([{ key: 'auc', values: [0.8, 0.9], deltaVsFirst: [0, expect.closeTo(0.1, 10)], production: null, deltaVsProduction: [null, null] }])
    expect(comparison.files).toEqual([expect.objectContaining({ path: 'model.bin', status: 'changed' })])
    expect((await canon.lineage.descendants('sdk-split', 1)).items.map((d) => d.version)).toEqual([2])

    const deployment = await canon.deployments.put('sdk-split-api', { model: 'sdk-split', environment: 'prod', split: { 1: 80, 2: 20 }, reason: 'canary' })
    expect(deployment.split.map((t) => [t.version, t.weight])).toEqual([[1, 80], [2, 20]])
    const decision = await canon.deployments.route('sdk-split-api', 'user-42')
    expect(await canon.deployments.route('sdk-split-api', 'user-42')).toEqual(decision)
    expect((await canon.deployments.history('sdk-split-api')).items[0]).toMatchObject({ revision: 1, reason: 'canary' })
    const refused = await canon.versions.delete('sdk-split', 2).catch((error: unknown) => error)
    expect(isCanonApiError(refused) && refused.code).toBe('VERSION_SERVING')
    await canon.deployments.delete('sdk-split-api', { reason: 'done' })
    expect((await canon.deployments.list({ model: 'sdk-split' })).items).toEqual([])
  })
})
