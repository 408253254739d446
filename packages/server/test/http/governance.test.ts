import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client, type JsonResponse } from '../support/http'

const ADMIN_TOKEN = 'canon_test_admin_token_governance_0123456789'
const WEIGHTS = Buffer.from('governed weights')
const FILE = { path: 'model.bin', size: WEIGHTS.length, digest: `sha256:${createHash('sha256').update(WEIGHTS).digest('hex')}` }

type Api = {
  get: (path: string) => Promise<JsonResponse>
  post: (path: string, body?: unknown) => Promise<JsonResponse>
  put: (path: string, body?: unknown) => Promise<JsonResponse>
  delete: (path: string) => Promise<JsonResponse>
}

for (const backend of backends) {
  describe(`transition requests, promotion policies and rollback (${backend})`, () => {
    let server: TestServer
    let admin: Api
    let eddie: Api // editor
    let erin: Api // another editor
    let alice: Api // approver
    let bob: Api // approver
    let fiona: Api // approver on fraud-* only

    const as = (token: string): Api => {
      const base = client(server.url)
      const headers = { authorization: `Bearer ${token}` }
      return {
        get: (path) => base.call('GET', path, undefined, headers),
        post: (path, body) => base.call('POST', path, body ?? {}, headers),
        put: (path, body) => base.call('PUT', path, body, headers),
        delete: (path) => base.call('DELETE', path, undefined, headers),
      }
    }
    const userWith = async (name: string, role: string, scope = '*') => {
      await admin.post('/api/v1/users', { name })
      await admin.put(`/api/v1/users/${name}/grants`, { role, scope })
      return as((await admin.post(`/api/v1/users/${name}/tokens`, { name: 'test' })).body.token as string)
    }
    /** eddie registers a model with one version per entry */
    const model = async (name: string, versions: { metrics?: Record<string, number>; tags?: Record<string, string> }[]) => {
      expect((await eddie.post('/api/v1/models', { name })).status).toBe(201)
      for (const v of versions) expect((await eddie.post(`/api/v1/models/${name}/versions`, { files: [FILE], ...v })).status).toBe(201)
    }
    const stageOf = async (name: string, version: number) => (await eddie.get(`/api/v1/models/${name}/versions/${version}`)).body.stage as string
    const request = async (who: Api, name: string, version: number, body: unknown) => who.post(`/api/v1/models/${name}/versions/${version}/requests`, body)
    const review = (who: Api, id: number, decision: 'approve' | 'reject', comment?: string) => who.post(`/api/v1/requests/${id}/reviews`, { decision, comment })
    const auditOf = async (action: string) => (await admin.get(`/api/v1/audit?action=${action}&limit=1000`)).body.items as { actor: string; target: string; reason: string | null; before: unknown; after: unknown }[]

    beforeAll(async () => {
      server = await startTestServer(backend, { CANON_AUTH: 'on', CANON_ADMIN_TOKEN: ADMIN_TOKEN })
      admin = as(ADMIN_TOKEN)
      eddie = await userWith('eddie', 'editor')
      erin = await userWith('erin', 'editor')
      alice = await userWith('alice', 'approver')
      bob = await userWith('bob', 'approver')
      fiona = await userWith('fiona', 'approver', 'fraud-*')
      await fetch(`${server.url}/api/v1/blobs/${FILE.digest}`, { method: 'PUT', body: WEIGHTS, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/octet-stream' } })
    })
    afterAll(async () => server?.stop())

    it('without a policy, a direct promotion to Production works as it always has', async () => {
      await model('plain', [{}])
      expect((await admin.get('/api/v1/policies/plain')).body).toMatchObject({ source: 'default', policy: { requiredApprovals: 0, requiredTags: [], requiredMetrics: [], protectedAliases: [], requiredCardFields: [] } })
      expect((await eddie.post('/api/v1/models/plain/versions/1/stage', { stage: 'Production' })).status).toBe(200)
      expect((await eddie.put('/api/v1/models/plain/aliases/champion', { version: 1 })).status).toBe(200)
    })

    it('lets only an admin set a policy, and a model without its own inherits the global one', async () => {
      await model('inherits', [{}])
      const refused = await eddie.put('/api/v1/policies/inherits', { requiredApprovals: 1 })
      expect(refused.status).toBe(403)
      expect(refused.body.error.code).toBe('PERMISSION_DENIED')
      expect((await admin.put('/api/v1/policies/*', { requiredTags: ['validated_by'] })).body).toMatchObject({ scope: '*', source: 'scope', updatedBy: 'admin' })
      expect((await eddie.get('/api/v1/policies/inherits')).body).toMatchObject({ source: 'global', policy: { requiredTags: ['validated_by'] } })
      const own = await admin.put('/api/v1/policies/inherits', { requiredApprovals: 1 })
      expect(own.body).toMatchObject({ scope: 'inherits', source: 'scope', policy: { requiredApprovals: 1, requiredTags: [] } })
      await admin.put('/api/v1/policies/*', {})
      expect((await eddie.get('/api/v1/policies/*')).body.policy.requiredTags).toEqual([])
      expect((await auditOf('policy.set')).map((e) => e.target)).toEqual(['policy:*', 'policy:inherits', 'policy:*'])
    })

    it('never lets the requester review their own request (four eyes), nor an editor review at all', async () => {
      await model('own-request', [{}])
      await admin.put('/api/v1/policies/own-request', { requiredApprovals: 1 })
      const made = await request(admin, 'own-request', 1, { kind: 'stage', target: 'Production', comment: 'ship it' })
      expect(made.status).toBe(201)
      const own = await review(admin, made.body.id, 'approve')
      expect(own.status).toBe(403)
      expect(own.body.error.message).toContain('four-eyes')
      const editor = await review(eddie, made.body.id, 'approve')
      expect(editor.status).toBe(403)
      expect(editor.body.error.code).toBe('PERMISSION_DENIED')
      expect((await admin.get(`/api/v1/requests/${made.body.id}`)).body).toMatchObject({ status: 'pending', reviews: [] })
    })

    it('needs two distinct approvers when the policy requires two, and counts the same approver once', async () => {
      await model('fraud-scorer', [{}])
      await admin.put('/api/v1/policies/fraud-scorer', { requiredApprovals: 2 })
      const made = await request(eddie, 'fraud-scorer', 1, { kind: 'stage', target: 'Production', comment: 'Q3 model' })
      expect(made.body).toMatchObject({ status: 'pending', requiredApprovals: 2, requestedBy: 'eddie', comment: 'Q3 model' })

      expect((await review(alice, made.body.id, 'approve', 'report read')).body).toMatchObject({ status: 'pending', reviews: [{ reviewer: 'alice', decision: 'approve', comment: 'report read' }] })
      expect(await stageOf('fraud-scorer', 1)).toBe('None')
      const twice = await review(alice, made.body.id, 'approve')
      expect(twice.status).toBe(409)
      expect(twice.body.error.code).toBe('INVALID_STATE')
      expect((await alice.get(`/api/v1/requests/${made.body.id}`)).body).toMatchObject({ status: 'pending', reviews: [{ reviewer: 'alice' }] })
      expect(await stageOf('fraud-scorer', 1)).toBe('None')

      const applied = await review(bob, made.body.id, 'approve')
      expect(applied.body).toMatchObject({ status: 'applied', decidedBy: 'bob' })
      expect(await stageOf('fraud-scorer', 1)).toBe('Production')
    })

    it('a rejection closes the request and changes nothing', async () => {
      await model('rejected', [{}])
      await admin.put('/api/v1/policies/rejected', { requiredApprovals: 1 })
      const made = await request(eddie, 'rejected', 1, { kind: 'stage', target: 'Production' })
      expect((await review(alice, made.body.id, 'reject', 'leaks the label')).body).toMatchObject({ status: 'rejected', decidedBy: 'alice' })
      expect(await stageOf('rejected', 1)).toBe('None')
      expect((await review(bob, made.body.id, 'approve')).body.error.code).toBe('INVALID_STATE')
    })

    it('reports each gate by name: approvals, a required tag, a required metric against Production with its tolerance', async () => {
      await model('gated', [
        { metrics: { val_auc: 0.9 }, tags: { validated_by: 'risk-team' } },
        { metrics: { loss: 0.1 } },
        { metrics: { val_auc: 0.896 }, tags: { validated_by: 'risk-team' } },
        { metrics: { val_auc: 0.89 }, tags: { validated_by: 'risk-team' } },
      ])
      await admin.put('/api/v1/policies/gated', { requiredApprovals: 1, requiredTags: ['validated_by'], requiredMetrics: [{ name: 'val_auc', higherIsBetter: true, tolerance: 0.005 }] })
      const check = async (version: number) => (await eddie.get(`/api/v1/models/gated/versions/${version}/promotion-check?stage=Production`)).body

      // no Production version yet: the metric gate passes on presence alone
      const first = await check(1)
      expect(first).toMatchObject({ requestable: true, direct: false })
      expect(first.gates.map((g: { gate: string; passed: boolean }) => [g.gate, g.passed])).toEqual([
        ['approvals', false],
        ['tag:validated_by', true],
        ['metric:val_auc', true],
      ])
      expect(first.gates[2].detail).toContain('no other Production version')

      const second = await check(2)
      expect(second.requestable).toBe(false)
      expect(second.gates.filter((g: { passed: boolean }) => !g.passed).map((g: { gate: string }) => g.gate)).toEqual(['approvals', 'tag:validated_by', 'metric:val_auc'])
      const refused = await request(eddie, 'gated', 2, { kind: 'stage', target: 'Production' })
      expect(refused.status).toBe(409)
      expect(refused.body.error.code).toBe('POLICY_NOT_SATISFIED')
      expect(refused.body.error.details.failing).toEqual(['tag:validated_by', 'metric:val_auc'])

      const promoted = await request(eddie, 'gated', 1, { kind: 'stage', target: 'Production' })
      await review(alice, promoted.body.id, 'approve')
      expect(await stageOf('gated', 1)).toBe('Production')

      // within tolerance of Production's 0.9 (>= 0.895) passes; 0.89 does not
      expect((await check(3)).gates.find((g: { gate: string }) => g.gate === 'metric:val_auc')).toMatchObject({ passed: true })
      const worse = (await check(4)).gates.find((g: { gate: string }) => g.gate === 'metric:val_auc')
      expect(worse).toMatchObject({ passed: false })
      expect(worse.detail).toContain('Production version 1')
      expect((await request(eddie, 'gated', 4, { kind: 'stage', target: 'Production' })).body.error.details.failing).toEqual(['metric:val_auc'])
    })

    it('holds promotion to a complete model card when the policy names card fields, with the version card falling back to the model card', async () => {
      await model('carded', [{}])
      expect((await admin.put('/api/v1/policies/carded', { requiredCardFields: ['intendedUse', 'owners', 'limitationsAndBiases'] })).status).toBe(200)
      const cardGate = async () => ((await eddie.get('/api/v1/models/carded/versions/1/promotion-check?stage=Production')).body.gates as { gate: string; passed: boolean; detail: string }[]).find((g) => g.gate === 'card')
      expect(await cardGate()).toMatchObject({ passed: false, detail: expect.stringContaining('intendedUse') })
      expect((await eddie.post('/api/v1/models/carded/versions/1/stage', { stage: 'Production' })).body.error.code).toBe('APPROVAL_REQUIRED')
      await eddie.put('/api/v1/models/carded/card', { intendedUse: 'score churn risk for retention offers', owners: [{ name: 'risk team', contact: 'risk@example.com' }] })
      expect(await cardGate()).toMatchObject({ passed: false, detail: expect.stringContaining('limitationsAndBiases') })
      await eddie.put('/api/v1/models/carded/versions/1/card', { limitationsAndBiases: 'under-represents customers younger than 21' })
      expect(await cardGate()).toMatchObject({ passed: true })
      expect((await eddie.post('/api/v1/models/carded/versions/1/stage', { stage: 'Production' })).status).toBe(200)
    })

    it('applies the change in the same transaction as the deciding review: a gate failing by then refuses the review and keeps the request pending', async () => {
      await model('atomic', [{ tags: { validated_by: 'risk-team' } }])
      await admin.put('/api/v1/policies/atomic', { requiredApprovals: 1, requiredTags: ['validated_by'] })
      const made = await request(eddie, 'atomic', 1, { kind: 'stage', target: 'Production' })
      expect((await eddie.delete('/api/v1/models/atomic/versions/1/tags/validated_by')).status).toBe(204)
      const refused = await review(alice, made.body.id, 'approve')
      expect(refused.status).toBe(409)
      expect(refused.body.error.code).toBe('POLICY_NOT_SATISFIED')
      expect((await alice.get(`/api/v1/requests/${made.body.id}`)).body).toMatchObject({ status: 'pending', reviews: [] })
      expect(await stageOf('atomic', 1)).toBe('None')

      await eddie.put('/api/v1/models/atomic/versions/1/tags/validated_by', { value: 'risk-team' })
      expect((await review(alice, made.body.id, 'approve')).body.status).toBe('applied')
      expect(await stageOf('atomic', 1)).toBe('Production')
    })

    it('refuses a direct promotion to Production with APPROVAL_REQUIRED, and audits an admin override with its reason', async () => {
      await model('direct', [{}, {}])
      await admin.put('/api/v1/policies/direct', { requiredApprovals: 1 })
      const refused = await eddie.post('/api/v1/models/direct/versions/1/stage', { stage: 'Production' })
      expect(refused.status).toBe(409)
      expect(refused.body.error.code).toBe('APPROVAL_REQUIRED')
      expect((await admin.post('/api/v1/models/direct/versions/1/stage', { stage: 'Production' })).body.error.code).toBe('APPROVAL_REQUIRED')
      expect((await eddie.post('/api/v1/models/direct/versions/1/stage', { stage: 'Production', override: true, reason: 'please' })).status).toBe(403)
      expect((await admin.post('/api/v1/models/direct/versions/1/stage', { stage: 'Production', override: true })).status).toBe(400)
      expect(await stageOf('direct', 1)).toBe('None')

      // the MLflow face goes through the same policy
      const mlflow = await eddie.post('/api/2.0/mlflow/model-versions/transition-stage', { name: 'direct', version: '1', stage: 'Production', archive_existing_versions: true })
      expect(mlflow.status).toBe(409)
      expect(mlflow.body.error_code).toBe('RESOURCE_CONFLICT')

      // other stages are not governed
      expect((await eddie.post('/api/v1/models/direct/versions/2/stage', { stage: 'Staging' })).status).toBe(200)

      const overridden = await admin.post('/api/v1/models/direct/versions/1/stage', { stage: 'Production', override: true, reason: 'incident 4711: hotfix' })
      expect(overridden.status).toBe(200)
      expect(overridden.body.stage).toBe('Production')
      expect(await auditOf('policy.override')).toEqual([expect.objectContaining({ actor: 'admin', target: 'version:direct/1', reason: 'incident 4711: hotfix', before: { failing: ['approvals'] } })])
    })

    it('moves a protected alias only through a request', async () => {
      await model('aliased', [{}, {}])
      await admin.put('/api/v1/policies/aliased', { protectedAliases: ['champion'] })
      const refused = await eddie.put('/api/v1/models/aliased/aliases/champion', { version: 1 })
      expect(refused.status).toBe(409)
      expect(refused.body.error.code).toBe('APPROVAL_REQUIRED')
      expect((await eddie.put('/api/v1/models/aliased/aliases/challenger', { version: 2 })).status).toBe(200)

      const made = await request(eddie, 'aliased', 1, { kind: 'alias', target: 'champion', comment: 'new champion' })
      expect(made.body).toMatchObject({ kind: 'alias', target: 'champion', requiredApprovals: 1 })
      expect((await eddie.get('/api/v1/models/aliased/aliases')).body.aliases).toEqual({ challenger: 2 })
      expect((await review(alice, made.body.id, 'approve')).body.status).toBe('applied')
      expect((await eddie.get('/api/v1/models/aliased/aliases/champion')).body.version).toBe(1)

      // removing it is as consequential as moving it: an editor may not, an admin may
      expect((await eddie.delete('/api/v1/models/aliased/aliases/champion')).body.error.code).toBe('APPROVAL_REQUIRED')
      expect((await admin.delete('/api/v1/models/aliased/aliases/champion')).status).toBe(204)
    })

    it('keeps a policy on its model across a rename, so renaming never escapes it', async () => {
      await model('renamed-before', [{}])
      await admin.put('/api/v1/policies/renamed-before', { requiredApprovals: 1 })
      const renamed = await client(server.url).call('PATCH', '/api/v1/models/renamed-before', { name: 'renamed-after' }, { authorization: `Bearer ${ADMIN_TOKEN}` })
      expect(renamed.status).toBe(200)
      expect((await eddie.get('/api/v1/policies/renamed-after')).body).toMatchObject({ source: 'scope', policy: { requiredApprovals: 1 } })
      expect((await eddie.post('/api/v1/models/renamed-after/versions/1/stage', { stage: 'Production' })).body.error.code).toBe('APPROVAL_REQUIRED')
    })

    it('rolls back to the previous Production version and archives the current one, audited', async () => {
      await model('rolling', [{}, {}, {}])
      const none = await eddie.post('/api/v1/models/rolling/rollback', { reason: 'nothing to roll back' })
      expect(none.status).toBe(409)
      expect(none.body.error.code).toBe('INVALID_STATE')
      await eddie.post('/api/v1/models/rolling/versions/1/stage', { stage: 'Production' })
      await eddie.post('/api/v1/models/rolling/versions/2/stage', { stage: 'Production' })
      await eddie.post('/api/v1/models/rolling/versions/3/stage', { stage: 'Staging' })

      const rolled = await eddie.post('/api/v1/models/rolling/rollback', { reason: 'latency regression' })
      expect(rolled.status).toBe(200)
      expect(rolled.body).toMatchObject({ version: 1, stage: 'Production' })
      expect(await stageOf('rolling', 2)).toBe('Archived')
      expect(await stageOf('rolling', 3)).toBe('Staging')
      expect((await auditOf('model.rollback')).find((e) => e.target === 'model:rolling')).toMatchObject({ actor: 'eddie', reason: 'latency regression', before: { production: 2 }, after: { production: 1 } })

      // and back again: version 2 is now the previous Production version
      expect((await eddie.post('/api/v1/models/rolling/rollback', { reason: 'fixed' })).body.version).toBe(2)
    })

    it('holds a rollback to the policy, with an admin override allowed', async () => {
      await model('rolling-governed', [{}, {}])
      await eddie.post('/api/v1/models/rolling-governed/versions/1/stage', { stage: 'Production' })
      await eddie.post('/api/v1/models/rolling-governed/versions/2/stage', { stage: 'Production' })
      await admin.put('/api/v1/policies/rolling-governed', { requiredApprovals: 1 })
      expect((await eddie.post('/api/v1/models/rolling-governed/rollback', { reason: 'bad' })).body.error.code).toBe('APPROVAL_REQUIRED')
      expect(await stageOf('rolling-governed', 2)).toBe('Production')
      const overridden = await admin.post('/api/v1/models/rolling-governed/rollback', { reason: 'outage', override: true })
      expect(overridden.body).toMatchObject({ version: 1, stage: 'Production' })
      expect(await stageOf('rolling-governed', 2)).toBe('Archived')
    })

    it('lets the requester or an admin cancel a pending request, and nobody else', async () => {
      await model('cancelled', [{}, {}])
      await admin.put('/api/v1/policies/cancelled', { requiredApprovals: 1 })
      const made = await request(eddie, 'cancelled', 1, { kind: 'stage', target: 'Production' })
      const duplicate = await request(erin, 'cancelled', 1, { kind: 'stage', target: 'Production' })
      expect(duplicate.body.error.code).toBe('INVALID_STATE')
      expect((await erin.post(`/api/v1/requests/${made.body.id}/cancel`, {})).status).toBe(403)
      expect((await eddie.post(`/api/v1/requests/${made.body.id}/cancel`, { reason: 'wrong version' })).body).toMatchObject({ status: 'cancelled', decidedBy: 'eddie' })
      expect((await review(alice, made.body.id, 'approve')).body.error.code).toBe('INVALID_STATE')
      expect(await stageOf('cancelled', 1)).toBe('None')

      const other = await request(eddie, 'cancelled', 2, { kind: 'stage', target: 'Production' })
      expect((await admin.post(`/api/v1/requests/${other.body.id}/cancel`, {})).body.status).toBe('cancelled')
      expect((await eddie.post(`/api/v1/requests/${other.body.id}/cancel`, {})).body.error.code).toBe('INVALID_STATE')
    })

    it("shows each approver an inbox of pending requests on models they may approve, and each requester their own", async () => {
      await model('fraud-inbox', [{}])
      await model('churn-inbox', [{}])
      await admin.put('/api/v1/policies/fraud-inbox', { requiredApprovals: 1 })
      await admin.put('/api/v1/policies/churn-inbox', { requiredApprovals: 1 })
      const fraud = await request(eddie, 'fraud-inbox', 1, { kind: 'stage', target: 'Production' })
      const churn = await request(erin, 'churn-inbox', 1, { kind: 'stage', target: 'Production' })
      const ids = (r: JsonResponse) => (r.body.items as { id: number }[]).map((i) => i.id)

      expect(ids(await alice.get('/api/v1/requests?status=pending'))).toEqual(expect.arrayContaining([fraud.body.id, churn.body.id]))
      expect(ids(await fiona.get('/api/v1/requests'))).toEqual([fraud.body.id])
      expect(ids(await eddie.get('/api/v1/requests'))).toEqual([])
      expect(ids(await eddie.get('/api/v1/requests?mine=true&model=fraud-inbox'))).toEqual([fraud.body.id])
      const outsider = await fiona.get(`/api/v1/requests/${churn.body.id}`)
      expect(outsider.status).toBe(404)
      expect(outsider.body.error.code).toBe('REQUEST_NOT_FOUND')

      await review(fiona, fraud.body.id, 'approve')
      expect(ids(await alice.get('/api/v1/requests?status=pending'))).not.toContain(fraud.body.id)
      expect(ids(await alice.get('/api/v1/requests?status=applied'))).toContain(fraud.body.id)
    })

    it('audits every step of a request, and the chain stays intact', async () => {
      await model('audited', [{}])
      await admin.put('/api/v1/policies/audited', { requiredApprovals: 1 })
      const made = await request(eddie, 'audited', 1, { kind: 'stage', target: 'Production', comment: 'evidence attached' })
      await review(alice, made.body.id, 'approve', 'ok')
      const events = (await admin.get(`/api/v1/audit?target=request:${made.body.id}`)).body.items as { action: string; actor: string; reason: string | null }[]
      expect(events.map((e) => `${e.action} ${e.actor}`)).toEqual(['request.create eddie', 'request.review alice', 'request.apply alice'])
      const promotion = (await admin.get('/api/v1/audit?target=version:audited/1&action=version.stage')).body.items
      expect(promotion).toEqual([expect.objectContaining({ actor: 'alice', after: { stage: 'Production' }, reason: expect.stringContaining(`request ${made.body.id} by eddie`) })])
      expect((await admin.get('/api/v1/audit/verify')).body.ok).toBe(true)
    })
  })
}
