import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GcReport, Model, Transition, Version, VersionSummary } from '@canon/api'
import { CanonClient } from '@canon/sdk'
import { backends, startTestServer, tempDir, type TestServer } from '../../server/test/support/backends'
import { canonAt, jsonOf, type CanonRun } from './run-canon'

const model = 'fraud team/scorer v2'
const files: Record<string, string | Buffer> = {
  'model.onnx': Buffer.alloc(1024 * 1024 + 5, 7),
  'tokenizer/vocab.txt': 'alpha\nbeta\n',
  'tokenizer/special/tokens.json': '{"pad":0}',
}

describe.each(backends)('a user walks through the registry with the canon CLI (%s)', (backend) => {
  let server: TestServer
  let scratch: Awaited<ReturnType<typeof tempDir>>
  let canon: (...args: string[]) => Promise<CanonRun>
  let sdk: CanonClient
  const at = (...segments: string[]) => join(scratch.path, ...segments)

  beforeAll(async () => {
    server = await startTestServer(backend)
    scratch = await tempDir('canon-cli-')
    canon = canonAt(server.url)
    sdk = new CanonClient({ url: server.url })
    for (const [path, content] of Object.entries(files)) {
      await mkdir(at('artifacts', ...path.split('/').slice(0, -1)), { recursive: true })
      await writeFile(at('artifacts', ...path.split('/')), content)
    }
  })
  afterAll(async () => {
    await server?.stop()
    await scratch?.remove()
  })

  it('creates a model and shows it in the list', async () => {
    const created = await canon('models', 'create', model, '--description', 'scores card fraud', '--tag', 'team=fraud')
    expect(created).toMatchObject({ code: 0, stderr: '' })
    expect(created.stdout).toContain(`Created model '${model}'`)
    const listed = await canon('models', 'list')
    expect(listed.stdout).toMatch(/^NAME\s+LATEST\s+PRODUCTION/)
    expect(listed.stdout).toContain(model)
    const shown = await jsonOf<Model>(canon('models', 'get', model, '--json'))
    expect(shown).toMatchObject({ name: model, description: 'scores card fraud', tags: { team: 'fraud' } })
  })

  it('pushes a directory with nested files, printing no progress bar when stderr is not a terminal', async () => {
    const pushed = await canon('push', model, at('artifacts'), '--description', 'first cut', '--metric', 'auc=0.91', '--param', 'depth=3', '--tag', 'data=q3', '--run-id', 'run-7', '--source', 's3://runs/7')
    expect(pushed).toMatchObject({ code: 0, stderr: '' })
    expect(pushed.stdout).toContain('version 1: 3 files')
    expect(pushed.stdout).toContain('uploaded 3 blobs')
    const version = await jsonOf<Version>(canon('versions', 'get', model, '1', '--json'))
    expect(version).toMatchObject({ description: 'first cut', metrics: { auc: 0.91 }, params: { depth: '3' }, tags: { data: 'q3' }, runId: 'run-7', source: 's3://runs/7' })
    expect(version.files.map((f) => f.path).sort()).toEqual(['model.onnx', 'tokenizer/special/tokens.json', 'tokenizer/vocab.txt'])
  })

  it('uploads nothing when the same files are pushed again', async () => {
    const again = await canon('push', model, at('artifacts'))
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('version 2')
    expect(again.stdout).toContain('uploaded 0 blobs (0 B), 3 files already on the server')
    const versions = await jsonOf<VersionSummary[]>(canon('versions', 'list', model, '--json'))
    expect(versions.map((v) => v.version)).toEqual([2, 1])
  })

  it('promotes version 1 to Production with a reason and keeps the history', async () => {
    const staged = await canon('stage', model, '1', 'production', '--reason', 'beats the baseline')
    expect(staged).toMatchObject({ code: 0, stdout: `'${model}' version 1 is now in Production.\n` })
    const history = await jsonOf<Transition[]>(canon('versions', 'transitions', model, '1', '--json'))
    expect(history).toEqual([expect.objectContaining({ fromStage: 'None', toStage: 'Production', reason: 'beats the baseline' })])
  })

  it('points the champion alias at version 1 and resolves it by URI', async () => {
    expect((await canon('alias', 'set', model, 'champion', '1')).code).toBe(0)
    expect(await jsonOf(canon('alias', 'list', model, '--json'))).toEqual({ champion: 1 })
    const resolved = await jsonOf<Version>(canon('resolve', `models:/${model}@champion`, '--json'))
    expect(resolved).toMatchObject({ model, version: 1, stage: 'Production', aliases: ['champion'] })
    const human = await canon('resolve', `models:/${model}/Production`)
    expect(human.stdout).toMatch(/Version:\s+1\n/)
  })

  it('pulls the champion into a fresh directory byte for byte', async () => {
    const pulled = await canon('pull', `models:/${model}@champion`, at('pulled'))
    expect(pulled).toMatchObject({ code: 0, stderr: '' })
    expect(pulled.stdout).toContain('every sha256 verified')
    for (const [path, content] of Object.entries(files)) {
      expect(await readFile(at('pulled', ...path.split('/')))).toEqual(Buffer.from(content))
    }
  })

  it('collects the blobs of a deleted version only with --apply, and only past the grace period', async () => {
    await mkdir(at('extra'), { recursive: true })
    await writeFile(at('extra', 'only-in-v3.bin'), 'bytes no other version has')
    const pushed = await jsonOf<Version>(canon('push', model, at('extra', 'only-in-v3.bin'), '--json'))
    const digest = pushed.files[0]!.digest
    expect((await canon('versions', 'delete', model, String(pushed.version))).code).toBe(0)

    const young = await jsonOf<GcReport>(canon('gc', '--json'))
    expect(young.collected).toEqual([])
    const dryRun = await canon('gc', '--grace', '0s')
    expect(dryRun.stdout).toContain(digest)
    expect(dryRun.stdout).toContain('Dry run: would delete 1 unreferenced blob')
    expect(await sdk.blobs.has(digest)).toBe(true)

    const applied = await canon('gc', '--apply', '--grace', '0s')
    expect(applied.code).toBe(0)
    expect(applied.stdout).toContain('Deleted 1 unreferenced blob')
    expect(await sdk.blobs.has(digest)).toBe(false)
    expect(await sdk.blobs.has((await sdk.versions.get(model, 1)).files[0]!.digest)).toBe(true)
  })

  it('shows the audit trail for the model and confirms the chain is intact', async () => {
    const events = await jsonOf<Array<{ action: string }>>(canon('audit', '--target', `model:${model}`, '--json'))
    expect(events.map((e) => e.action)).toEqual(['model.create'])
    const all = await canon('audit', '--target-prefix', `version:${model}/`)
    expect(all.stdout).toContain('version.stage')
    expect(all.stdout).toContain('beats the baseline')
    const verified = await canon('audit', 'verify')
    expect(verified).toMatchObject({ code: 0 })
    expect(verified.stdout).toMatch(/^Audit chain intact: \d+ events\.\n$/)
  })

  it('tags models and versions, keeps two versions in Production on request, and refuses to delete the model', async () => {
    expect((await canon('models', 'tag', model, 'tier=gold', 'owner=ana')).code).toBe(0)
    expect((await canon('models', 'untag', model, 'owner')).code).toBe(0)
    expect((await canon('versions', 'tag', model, '2', 'candidate=yes')).code).toBe(0)
    expect((await canon('versions', 'update', model, '2', '--description', 'same bytes, new run')).code).toBe(0)
    expect(await jsonOf(canon('models', 'get', model, '--json'))).toMatchObject({ tags: { team: 'fraud', tier: 'gold' } })
    expect(await jsonOf(canon('versions', 'get', model, '2', '--json'))).toMatchObject({ tags: { candidate: 'yes' }, description: 'same bytes, new run' })

    expect((await canon('stage', model, '2', 'Production', '--no-archive-existing')).code).toBe(0)
    expect(await jsonOf(canon('versions', 'list', model, '--stage', 'Production', '--json'))).toMatchObject([{ version: 2 }, { version: 1 }])

    const refused = await canon('models', 'delete', model)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('(MODEL_HAS_PRODUCTION_VERSION)')
  })

  it('describes, renames and deletes a scratch model, and moves and removes an alias', async () => {
    expect((await canon('models', 'create', 'scratch')).code).toBe(0)
    expect((await canon('models', 'update', 'scratch', '--description', 'temporary')).stdout).toBe("Updated model 'scratch'.\n")
    expect((await canon('models', 'rename', 'scratch', 'scratch/renamed')).stdout).toBe("Renamed model 'scratch' to 'scratch/renamed'.\n")
    expect(await jsonOf(canon('models', 'get', 'scratch/renamed', '--json'))).toMatchObject({ description: 'temporary' })
    expect((await canon('models', 'delete', 'scratch/renamed')).code).toBe(0)
    expect((await canon('models', 'get', 'scratch/renamed')).code).toBe(1)

    expect((await canon('alias', 'set', model, 'challenger', '2')).code).toBe(0)
    expect(await jsonOf(canon('alias', 'get', model, 'challenger', '--json'))).toMatchObject({ version: 2 })
    expect((await canon('alias', 'delete', model, 'challenger')).code).toBe(0)
    const gone = await canon('alias', 'get', model, 'challenger')
    expect(gone).toMatchObject({ code: 1 })
    expect(gone.stderr).toContain('(ALIAS_NOT_FOUND)')
  })
})

describe('canon reports failures on one line with an exit code scripts can trust', () => {
  let server: TestServer
  let canon: (...args: string[]) => Promise<CanonRun>
  beforeAll(async () => {
    server = await startTestServer(backends[0]!)
    canon = canonAt(server.url)
  })
  afterAll(() => server?.stop())

  it('exits 1 with the wire code when a model does not exist', async () => {
    const result = await canon('models', 'get', 'no-such-model')
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe("canon: Registered model 'no-such-model' does not exist. (MODEL_NOT_FOUND)\n")
  })

  it('exits 1 naming the URL when no server answers', async () => {
    const result = await canonAt('http://127.0.0.1:9')('models', 'list')
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^canon: Cannot reach the Canon server at http:\/\/127\.0\.0\.1:9 .*\(UNREACHABLE\)\n$/)
  })

  it('exits 2 for a malformed version number, an unknown stage, an unknown command or a bad duration', async () => {
    for (const args of [
      ['versions', 'get', 'm', 'three'],
      ['stage', 'm', '1', 'Limbo'],
      ['modles', 'list'],
      ['gc', '--grace', 'soon'],
      ['push', 'm', '.', '--metric', 'auc=high'],
    ]) {
      const result = await canon(...args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr, args.join(' ')).toMatch(/^canon: [^\n]+\(USAGE\)\n$/)
    }
  })

  it('never prints a stack trace', async () => {
    const result = await canon('pull', 'models:/nothing/1', join(server.dataDir, 'out'))
    expect(result.code).toBe(1)
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.stderr).toContain('(MODEL_NOT_FOUND)')
  })
})
