import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, tempDir, type TestServer } from '../../server/test/support/backends'
import { jsonOf, runCanon, type CanonRun } from './run-canon'

const ADMIN_TOKEN = 'canon_cli_admin_token_requests_0123456789'

describe.each(backends)('a promotion goes through policy, request and four-eyes review from the CLI (%s)', (backend) => {
  let server: TestServer
  let scratch: Awaited<ReturnType<typeof tempDir>>
  let as: (token: string, ...args: string[]) => Promise<CanonRun>
  let admin: (...args: string[]) => Promise<CanonRun>
  let editor: string
  let approver: string
  let requestId: number

  const tokenFor = async (name: string, role: string) => {
    expect((await admin('users', 'create', name)).code).toBe(0)
    expect((await admin('users', 'grant', name, role, '*')).code).toBe(0)
    return (await jsonOf<{ token: string }>(admin('tokens', 'create', 'cli', '--user', name, '--json'))).token
  }

  beforeAll(async () => {
    server = await startTestServer(backend, { CANON_AUTH: 'on', CANON_ADMIN_TOKEN: ADMIN_TOKEN })
    scratch = await tempDir('canon-requests-')
    const env = { CANON_URL: server.url, CANON_CONFIG_DIR: join(scratch.path, 'config') }
    as = (token, ...args) => runCanon(args, { ...env, CANON_TOKEN: token })
    admin = (...args) => as(ADMIN_TOKEN, ...args)
    editor = await tokenFor('eddie', 'editor')
    approver = await tokenFor('alice', 'approver')
    const weights = join(scratch.path, 'model.bin')
    await writeFile(weights, 'cli governed weights')
    expect((await as(editor, 'models', 'create', 'churn')).code).toBe(0)
    expect((await as(editor, 'push', 'churn', weights, '--metric', 'val_auc=0.91', '--tag', 'validated_by=risk-team')).code).toBe(0)
    expect((await as(editor, 'push', 'churn', weights, '--metric', 'val_auc=0.80')).code).toBe(0)
  })
  afterAll(async () => {
    await server?.stop()
    await scratch?.remove()
  })

  it('sets a policy with named gates and shows it', async () => {
    const set = await admin('policy', 'set', 'churn', '--approvals', '1', '--require-tag', 'validated_by', '--require-metric', 'val_auc:higher:0.005', '--protect-alias', 'champion')
    expect(set.code).toBe(0)
    const shown = await as(editor, 'policy', 'get', 'churn')
    expect(shown.stdout).toContain('required approvals:')
    expect(shown.stdout).toContain('validated_by')
    expect(shown.stdout).toContain('val_auc (higher is better, tolerance 0.005)')
  })

  it('prints each gate in a dry run before anyone asks', async () => {
    const ready = await as(editor, 'promote', 'churn', '1', '--check')
    expect(ready.code).toBe(0)
    expect(ready.stdout).toMatch(/approvals\s+FAIL/)
    expect(ready.stdout).toMatch(/tag:validated_by\s+pass/)
    expect(ready.stdout).toContain('request it with `canon request`')
    const unready = await jsonOf<{ requestable: boolean; gates: { gate: string; passed: boolean }[] }>(as(editor, 'promote', 'churn', '2', '--check', '--json'))
    expect(unready.requestable).toBe(false)
    expect(unready.gates.filter((g) => !g.passed).map((g) => g.gate)).toEqual(['approvals', 'tag:validated_by'])
  })

  it('refuses a direct promotion, and a request that fails a gate, naming the gates', async () => {
    const direct = await as(editor, 'promote', 'churn', '1')
    expect(direct.code).toBe(1)
    expect(direct.stderr).toContain('APPROVAL_REQUIRED')
    const failing = await as(editor, 'request', 'churn', '2', 'Production')
    expect(failing.code).toBe(1)
    expect(failing.stderr).toContain('POLICY_NOT_SATISFIED')
    expect(failing.stderr).toContain('tag:validated_by')
  })

  it('requests a promotion, which the requester cannot approve and an approver sees in the inbox', async () => {
    const made = await jsonOf<{ id: number; status: string }>(as(editor, 'request', 'churn', '1', 'Production', '--comment', 'Q3 refresh', '--json'))
    expect(made.status).toBe('pending')
    requestId = made.id
    const own = await as(editor, 'review', String(requestId), 'approve')
    expect(own.code).toBe(1)
    expect(own.stderr).toContain('PERMISSION_DENIED')
    const inbox = await as(approver, 'requests')
    expect(inbox.stdout).toMatch(new RegExp(`^${requestId}\\s+churn\\s+1\\s+Production\\s+pending\\s+0/1\\s+eddie`, 'm'))
  })

  it('applies the promotion when the approver approves, and the inbox empties', async () => {
    const approved = await as(approver, 'review', String(requestId), 'approve', '--comment', 'validation report read')
    expect(approved.code).toBe(0)
    expect(approved.stdout).toContain('approved and applied')
    expect((await jsonOf<{ stage: string }>(as(editor, 'versions', 'get', 'churn', '1', '--json'))).stage).toBe('Production')
    expect((await as(approver, 'requests')).stdout).toBe('No requests.\n')
    const shown = await as(editor, 'requests', 'show', String(requestId))
    expect(shown.stdout).toContain('applied')
    expect(shown.stdout).toMatch(/alice\s+approve/)
  })

  it('moves a protected alias only through a request, and cancels one', async () => {
    expect((await as(editor, 'alias', 'set', 'churn', 'champion', '1')).stderr).toContain('APPROVAL_REQUIRED')
    const made = await jsonOf<{ id: number }>(as(editor, 'request', 'churn', '1', '@champion', '--json'))
    expect((await as(editor, 'requests', 'cancel', String(made.id))).stdout).toContain('cancelled')
    const again = await jsonOf<{ id: number }>(as(editor, 'request', 'churn', '1', '@champion', '--json'))
    expect((await as(approver, 'review', String(again.id), 'approve')).code).toBe(0)
    expect((await jsonOf<Record<string, number>>(as(editor, 'alias', 'list', 'churn', '--json'))).champion).toBe(1)
  })

  it('rolls back only with an admin override under this policy, and says so in the audit trail', async () => {
    // version 2 reaches Production by an admin override, so there is a previous Production version (1) to go back to
    expect((await admin('stage', 'churn', '2', 'Production', '--override', '--reason', 'incident drill')).code).toBe(0)
    expect((await as(editor, 'rollback', 'churn', '--reason', 'drift')).stderr).toContain('APPROVAL_REQUIRED')
    const rolled = await admin('rollback', 'churn', '--reason', 'drift', '--override')
    expect(rolled.code).toBe(0)
    expect(rolled.stdout).toContain('version 1 is back in Production')
    const events = await jsonOf<{ action: string }[]>(admin('audit', '--model', 'churn', '--json'))
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['version.stage', 'model.rollback']))
    const overrides = await jsonOf<{ reason: string }[]>(admin('audit', '--action', 'policy.override', '--json'))
    expect(overrides.map((e) => e.reason)).toEqual(['incident drill', 'drift'])
    expect((await admin('audit', 'verify')).code).toBe(0)
  })
})
