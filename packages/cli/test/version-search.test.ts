import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VersionSummary } from '@canon/api'
import { CanonClient } from '@canon/sdk'
import { backends, startTestServer, type TestServer } from '../../server/test/support/backends'
import { canonAt, jsonOf, type CanonRun } from './run-canon'

describe.each(backends)('searching versions with the filter language from the CLI and the SDK (%s)', (backend) => {
  let server: TestServer
  let canon: (...args: string[]) => Promise<CanonRun>
  let sdk: CanonClient

  beforeAll(async () => {
    server = await startTestServer(backend)
    canon = canonAt(server.url)
    sdk = new CanonClient({ url: server.url })
    const bytes = Buffer.from('weights')
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
    await sdk.blobs.upload(digest, bytes)
    const files = [{ path: 'model.bin', size: bytes.length, digest }]
    await sdk.models.create({ name: 'churn' })
    await sdk.versions.create('churn', { files, metrics: { val_auc: 0.95 }, tags: { team: 'risk' } })
    await sdk.versions.create('churn', { files, metrics: { val_auc: 0.85 }, params: { max_depth: '6' } })
    await sdk.versions.create('churn', { files, metrics: { val_auc: 0.93 }, params: { max_depth: '6' }, lineage: { datasets: [{ uri: 'dataset://churn-events/2024-06', digest: 'sha256:abc' }] } })
    await sdk.versions.transitionStage('churn', 3, { stage: 'Production' })
  })
  afterAll(async () => server?.stop())

  it('canon versions search --filter prints the matching versions', async () => {
    const filter = "metrics.val_auc > 0.9 AND (tags.team = 'risk' OR params.max_depth = '6')"
    const found = await jsonOf<VersionSummary[]>(canon('versions', 'search', '--filter', filter, '--json'))
    expect(found.map((v) => v.version)).toEqual([3, 1])
    const table = await canon('versions', 'list', 'churn', '--filter', 'NOT metrics.val_auc > 0.9')
    expect(table).toMatchObject({ code: 0, stderr: '' })
    expect(table.stdout.trim().split('\n')).toHaveLength(2)
  })

  it('finds what serves traffic and was trained on a dataset (the README example)', async () => {
    const found = await jsonOf<VersionSummary[]>(canon('versions', 'search', '--filter', "dataset.name = 'churn-events' AND stage = 'Production'", '--json'))
    expect(found.map((v) => `${v.model}/${v.version}`)).toEqual(['churn/3'])
  })

  it('a filter error names the character and exits non-zero', async () => {
    const failed = await canon('versions', 'search', '--filter', 'metrics.val_auc >')
    expect(failed.code).not.toBe(0)
    expect(failed.stderr).toContain("at character 18: expected a value after '>'")
  })

  it('the SDK searches with versions.search({ filter })', async () => {
    const page = await sdk.versions.search({ filter: "params.max_depth = '6'", order: 'asc' })
    expect(page.items.map((v) => v.version)).toEqual([2, 3])
    const all: number[] = []
    for await (const v of sdk.versions.iterate({ filter: 'metrics.val_auc >= 0.85', limit: 1 })) all.push(v.version)
    expect(all).toEqual([3, 2, 1])
  })
})
