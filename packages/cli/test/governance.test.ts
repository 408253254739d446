import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, tempDir, type TestServer } from '../../server/test/support/backends'
import { runCanon, type CanonRun } from './run-canon'

const ADMIN_TOKEN = 'canon_cli_admin_token_0123456789abcdef'

describe.each(backends)('an admin governs Canon from the CLI (%s)', (backend) => {
  let server: TestServer
  let scratch: Awaited<ReturnType<typeof tempDir>>
  // every command runs with its own config dir, so `canon login` is remembered between them and nowhere else
  let canon: (...args: string[]) => Promise<CanonRun>
  let canonAs: (token: string, ...args: string[]) => Promise<CanonRun>

  beforeAll(async () => {
    server = await startTestServer(backend, { CANON_AUTH: 'on', CANON_ADMIN_TOKEN: ADMIN_TOKEN })
    scratch = await tempDir('canon-gov-')
    const env = { CANON_URL: server.url, CANON_CONFIG_DIR: join(scratch.path, 'config'), CANON_TOKEN: undefined }
    canon = (...args) => runCanon(args, env)
    canonAs = (token, ...args) => runCanon(args, { ...env, CANON_TOKEN: token })
  })
  afterAll(async () => {
    await server?.stop()
    await scratch?.remove()
  })

  it('refuses commands before login, with a hint', async () => {
    const refused = await canon('models', 'list')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('UNAUTHENTICATED')
  })

  it('logs in with a token and remembers it, readable only by the user', async () => {
    expect(await canon('login', ADMIN_TOKEN)).toMatchObject({ code: 0 })
    expect((await canon('whoami')).stdout).toContain('admin')
    const { stat } = await import('node:fs/promises')
    expect((await stat(join(scratch.path, 'config', 'credentials.json'))).mode & 0o077).toBe(0)
  })

  it('creates a user, grants a prefix, and issues a token shown once', async () => {
    expect((await canon('users', 'create', 'bob')).code).toBe(0)
    expect((await canon('users', 'grant', 'bob', 'editor', 'fraud-*')).stdout).toContain('editor@fraud-*')
    const created = JSON.parse((await canon('tokens', 'create', 'laptop', '--user', 'bob', '--json')).stdout)
    expect(created.token).toMatch(/^canon_/)
    const listed = await canon('tokens', 'list', '--user', 'bob', '--json')
    expect(listed.stdout).not.toContain(created.token)
    expect((await canonAs(created.token, 'models', 'create', 'fraud-scorer')).code).toBe(0)
    const denied = await canonAs(created.token, 'models', 'create', 'churn')
    expect(denied).toMatchObject({ code: 1 })
    expect(denied.stderr).toContain('PERMISSION_DENIED')
    expect((await canon('tokens', 'revoke', String(created.id), '--user', 'bob')).code).toBe(0)
    expect((await canonAs(created.token, 'models', 'list')).stderr).toContain('revoked')
  })

  it('lets an approver approve a version, never their own', async () => {
    expect((await canon('users', 'create', 'ana')).code).toBe(0)
    expect((await canon('users', 'grant', 'ana', 'approver')).code).toBe(0)
    const ana = JSON.parse((await canon('tokens', 'create', 'laptop', '--user', 'ana', '--json')).stdout).token as string
    const blob = Buffer.from('weights to review')
    const { createHash } = await import('node:crypto')
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`
    await fetch(`${server.url}/api/v1/blobs/${digest}`, { method: 'PUT', body: blob, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    await fetch(`${server.url}/api/v1/models/fraud-scorer/versions`, {
      method: 'POST',
      body: JSON.stringify({ files: [{ path: 'model.bin', size: blob.length, digest }] }),
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    })
    const own = await canon('versions', 'approve', 'fraud-scorer', '1')
    expect(own).toMatchObject({ code: 1, stderr: expect.stringContaining('four-eyes') })
    const approved = await canonAs(ana, 'versions', 'approve', 'fraud-scorer', '1', '--comment', 'report read')
    expect(approved).toMatchObject({ code: 0, stdout: expect.stringContaining('approved: report read') })
    expect((await canonAs(ana, 'resolve', 'model://fraud-scorer/latest', '--json')).stdout).toContain('"approved"')
  })

  it('exports a model history as JSON Lines and verifies the chain', async () => {
    const file = join(scratch.path, 'evidence.jsonl')
    expect((await canon('audit', 'export', '--model', 'fraud-scorer', '--output', file)).code).toBe(0)
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.slice(0, 1)).toMatchObject([{ action: 'model.create', actor: 'bob', target: 'model:fraud-scorer' }])
    expect(lines.map((l) => l.action)).toContain('version.approval')
    const users = (await canon('audit', '--action', 'grant.create', '--json')).stdout
    expect(JSON.parse(users)).toEqual(expect.arrayContaining([expect.objectContaining({ target: 'user:bob', after: { role: 'editor', scope: 'fraud-*' } })]))
    expect(await canon('audit', 'verify')).toMatchObject({ code: 0, stdout: expect.stringContaining('intact') })
  })
})
