import { execFileSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Comparison, Deployment, LineageGraph } from '@canon/api'
import { backends, startTestServer, tempDir, type TestServer } from '../../server/test/support/backends'
import { canonAt, jsonOf, type CanonRun } from './run-canon'

describe.each(backends)('lineage, compare and deploy with the canon CLI (%s)', (backend) => {
  let server: TestServer
  let repo: Awaited<ReturnType<typeof tempDir>>
  let canon: (...args: string[]) => Promise<CanonRun>
  let commit: string
  const git = (...args: string[]) => execFileSync('git', ['-C', repo.path, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } }).trim()

  beforeAll(async () => {
    server = await startTestServer(backend)
    canon = canonAt(server.url)
    // a working tree with a git history, a remote with credentials in it, and pinned requirements
    repo = await tempDir('canon-cli-lineage-')
    git('init', '-q', '-b', 'main')
    git('remote', 'add', 'origin', 'https://bot:secret-token@git.example.com/risk/churn.git')
    await writeFile(join(repo.path, 'model.bin'), 'weights v1')
    await writeFile(join(repo.path, 'requirements.txt'), 'scikit-learn==1.5.2\n# a comment\nnumpy==1.26.4\n')
    git('add', '.')
    git('commit', '-q', '-m', 'v1')
    commit = git('rev-parse', 'HEAD')
  })
  afterAll(async () => {
    await server?.stop()
    await repo?.remove()
  })

  it('push records the commit, branch, clean state and environment of the working tree', async () => {
    const pushed = await canon('push', 'churn', repo.path, '--dataset', 'dataset://events/2024-06@sha256:e1', '--image', 'python:3.11-slim')
    expect(pushed, pushed.stderr).toMatchObject({ code: 0 })
    const graph = await jsonOf<LineageGraph>(canon('lineage', 'churn', '1', '--json'))
    const node = (kind: string) => graph.nodes.find((n) => n.kind === kind)?.data
    expect(node('code')).toEqual({ repository: 'https://git.example.com/risk/churn.git', commit, branch: 'main', dirty: false, entryPoint: null })
    expect(node('environment')).toMatchObject({ image: 'python:3.11-slim', packages: ['scikit-learn==1.5.2', 'numpy==1.26.4'], runtime: { node: expect.any(String) } })
    expect(node('dataset')).toMatchObject({ uri: 'dataset://events/2024-06', digest: 'sha256:e1' })

    const text = await canon('lineage', 'churn', '1')
    expect(text.stdout).toContain('trained_on')
    expect(text.stdout).toContain('dataset://events/2024-06 @ sha256:e1')
    expect(text.stdout).toContain(commit.slice(0, 12))
  })

  it('a dirty tree is recorded as dirty; --parent names the version it was fine-tuned from', async () => {
    await writeFile(join(repo.path, 'model.bin'), 'weights v2, not committed')
    const pushed = await canon('push', 'churn', repo.path, '--parent', 'churn/1', '--metric', 'auc=0.9')
    expect(pushed, pushed.stderr).toMatchObject({ code: 0 })
    const graph = await jsonOf<LineageGraph>(canon('lineage', 'churn', '2', '--json'))
    expect(graph.nodes.find((n) => n.kind === 'code')?.data).toMatchObject({ commit, dirty: true })
    expect(graph.edges).toContainEqual({ from: 'version:churn/2', to: 'version:churn/1', kind: 'fine_tuned_from' })
    const descendants = await canon('lineage', 'churn', '1', '--descendants')
    expect(descendants.stdout).toMatch(/churn\s+2\s+churn\/1\s+1/)
    const consumers = await canon('lineage', '--dataset', 'dataset://events/2024-06')
    expect(consumers.stdout).toMatch(/churn\s+1\s+None/)
  })

  it('compare prints metrics, differences and files; --json gives the whole comparison', async () => {
    const compared = await canon('compare', 'churn', '1', '2')
    expect(compared, compared.stderr).toMatchObject({ code: 0 })
    expect(compared.stdout).toContain('Files that differ')
    expect(compared.stdout).toMatch(/model\.bin\s+changed/)
    const json = await jsonOf<Comparison>(canon('compare', 'churn', '1,2', '--json'))
    expect(json.versions).toEqual([1, 2])
    const bad = await canon('compare', 'churn', '1', 'two')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("'two' is not a version number")
  })

  it('deploy sets a split, route answers stickily, history lists the changes', async () => {
    const deployed = await canon('deploy', 'churn-api', '--model', 'churn', '--env', 'prod', '--split', '1=90,2=10', '--reason', 'canary')
    expect(deployed, deployed.stderr).toMatchObject({ code: 0 })
    expect(deployed.stdout).toContain("Deployment 'churn-api' revision 1: v1 90%, v2 10%")
    const first = await canon('deployments', 'route', 'churn-api', 'user-7')
    expect((await canon('deployments', 'route', 'churn-api', 'user-7')).stdout).toBe(first.stdout)
    expect(first.stdout).toMatch(/^model:\/\/churn\/v[12] \((90|10)% of traffic\)/)
    await canon('deploy', 'churn-api', '--model', 'churn', '--env', 'prod', '--split', '2=100', '--reason', 'full rollout')
    const history = await canon('deployments', 'history', 'churn-api')
    expect(history.stdout).toMatch(/2 .* v2 100%\s+full rollout/)
    const shown = await jsonOf<Deployment>(canon('deployments', 'show', 'churn-api', '--json'))
    expect(shown.split).toEqual([{ version: 2, weight: 100, stage: 'None', archived: false }])
    const badSplit = await canon('deploy', 'x', '--model', 'churn', '--env', 'prod', '--split', '1=50')
    expect(badSplit.code).toBe(1)
    expect(badSplit.stderr).toContain('INVALID_SPLIT')
    const listed = await canon('deployments')
    expect(listed.stdout).toMatch(/churn-api\s+prod\s+churn\s+v2 100%/)
  })
})
