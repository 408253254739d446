import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client } from '../support/http'

const ADMIN_TOKEN = 'canon_test_admin_token_0123456789abcdef'

for (const backend of backends) {
  describe(`version approval status (${backend})`, () => {
    let server: TestServer
    let admin: ReturnType<typeof client>
    let editor: ReturnType<typeof client>
    let approver: ReturnType<typeof client>

    const as = (token: string) => {
      const base = client(server.url)
      const headers = { authorization: `Bearer ${token}` }
      return {
        get: (path: string) => base.call('GET', path, undefined, headers),
        post: (path: string, body?: unknown) => base.call('POST', path, body, headers),
        put: (path: string, body?: unknown) => base.call('PUT', path, body, headers),
        upload: async (bytes: Buffer) => {
          const { createHash } = await import('node:crypto')
          const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
          await fetch(`${server.url}/api/v1/blobs/${digest}`, { method: 'PUT', body: bytes, headers })
          return { path: 'model.bin', size: bytes.length, digest }
        },
      }
    }
    const tokenFor = async (name: string, role: string) => {
      await admin.post('/api/v1/users', { name })
      await admin.put(`/api/v1/users/${name}/grants`, { role, scope: '*' })
      return (await admin.post(`/api/v1/users/${name}/tokens`, { name: 'test' })).body.token as string
    }

    beforeAll(async () => {
      server = await startTestServer(backend, { CANON_AUTH: 'on', CANON_ADMIN_TOKEN: ADMIN_TOKEN })
      admin = as(ADMIN_TOKEN) as never
      editor = as(await tokenFor('eddie', 'editor')) as never
      approver = as(await tokenFor('alice', 'approver')) as never
      const file = await (editor as unknown as ReturnType<typeof as>).upload(Buffer.from('weights'))
      await editor.post('/api/v1/models', { name: 'churn' })
      for (let i = 0; i < 3; i++) await editor.post('/api/v1/models/churn/versions', { files: [file] })
    })
    afterAll(async () => server?.stop())

    it('starts every version as pending', async () => {
      expect((await editor.get('/api/v1/models/churn/versions/1')).body.approval).toEqual({ status: 'pending', by: null, at: null, comment: null })
    })

    it('lets an approver approve or reject with a comment, recording who and when', async () => {
      const approved = await approver.post('/api/v1/models/churn/versions/1/approval', { status: 'approved', comment: 'validation report Q3 attached' })
      expect(approved.status).toBe(200)
      expect(approved.body.approval).toMatchObject({ status: 'approved', by: 'alice', comment: 'validation report Q3 attached' })
      expect(Date.parse(approved.body.approval.at)).not.toBeNaN()
      expect((await approver.post('/api/v1/models/churn/versions/3/approval', { status: 'rejected', comment: 'leaks the label' })).body.approval.status).toBe('rejected')
    })

    it('refuses the approval action to an editor', async () => {
      const refused = await editor.post('/api/v1/models/churn/versions/2/approval', { status: 'approved' })
      expect(refused.status).toBe(403)
      expect(refused.body.error.code).toBe('PERMISSION_DENIED')
    })

    it('never lets the person who registered a version review it (four eyes)', async () => {
      await admin.post('/api/v1/models', { name: 'own-work' })
      const file = await (admin as unknown as ReturnType<typeof as>).upload(Buffer.from('mine'))
      await admin.post('/api/v1/models/own-work/versions', { files: [file] })
      const refused = await admin.post('/api/v1/models/own-work/versions/1/approval', { status: 'approved' })
      expect(refused.status).toBe(403)
      expect(refused.body.error.message).toContain('four-eyes')
    })

    it('resolves model://m/latest to the highest approved version, and models:/m/latest to the highest', async () => {
      expect((await editor.get(`/api/v1/resolve?uri=${encodeURIComponent('model://churn/latest')}`)).body.version).toBe(1)
      expect((await editor.get(`/api/v1/resolve?uri=${encodeURIComponent('models:/churn/latest')}`)).body.version).toBe(3)
      await approver.post('/api/v1/models/churn/versions/2/approval', { status: 'approved' })
      expect((await editor.get(`/api/v1/resolve?uri=${encodeURIComponent('model://churn/latest')}`)).body.version).toBe(2)
    })

    it('filters versions by approval status', async () => {
      const approved = await editor.get('/api/v1/models/churn/versions?approval=approved')
      expect(approved.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1])
    })

    it('audits every verdict with its comment', async () => {
      const events = await admin.get(`/api/v1/audit?target=${encodeURIComponent('version:churn/1')}`)
      expect(events.body.items.find((e: { action: string }) => e.action === 'version.approval')).toMatchObject({ actor: 'alice', reason: 'validation report Q3 attached', after: { status: 'approved' } })
      expect((await admin.get('/api/v1/audit/verify')).body.ok).toBe(true)
    })
  })
}
