import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client, enc } from '../support/http'
import { WebhookReceiver, waitFor, type Receipt } from '../support/webhook-receiver'
import { verifySignature } from '../../src/domain/webhook-signature'

// Fast delivery for tests: poll every 20 ms, back off from 10 ms, give up after 3 attempts, time an attempt out at 400 ms.
const FAST = { CANON_WEBHOOK_POLL_MS: '20', CANON_WEBHOOK_BACKOFF_MS: '10', CANON_WEBHOOK_MAX_BACKOFF_MS: '50', CANON_WEBHOOK_MAX_ATTEMPTS: '3', CANON_WEBHOOK_TIMEOUT_MS: '400' }

describe.each(backends)('webhooks on %s', (backend) => {
  let server: TestServer
  let api: ReturnType<typeof client>
  let receiver: WebhookReceiver
  let manifest: { files: { path: string; size: number; digest: string }[] }
  let hooks = 0

  beforeAll(async () => {
    server = await startTestServer(backend, FAST)
    api = client(server.url)
    receiver = await new WebhookReceiver().start()
    manifest = { files: [await api.upload('model.bin', new TextEncoder().encode('weights'))] }
  })
  afterAll(async () => {
    await server?.stop()
    await receiver?.stop()
  })

  /** A webhook with a receiver path of its own; answers with the secret shown at creation. */
  async function subscribe(body: Record<string, unknown>): Promise<{ id: string; secret: string; path: string }> {
    const path = `/hook-${++hooks}`
    const created = await api.post('/api/v1/webhooks', { name: `hook ${hooks}`, url: receiver.url + path, ...body })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    return { id: created.body.id, secret: created.body.secret, path }
  }

  const deliveries = async (id: string) => (await api.get(`/api/v1/webhooks/${id}/deliveries`)).body.items as any[]
  const settled = (id: string, count = 1) =>
    waitFor(async () => {
      const items = await deliveries(id)
      return items.length >= count && items.every((d) => d.status === 'succeeded' || d.status === 'failed') && items
    }, `deliveries of ${id} to settle`)

  it('shows the secret once, signs every delivery over id.timestamp.body, and sends {id, event, timestamp, data}', async () => {
    const hook = await subscribe({ events: ['model.created'] })
    expect(hook.secret).toMatch(/^whsec_/)
    expect((await api.get(`/api/v1/webhooks/${hook.id}`)).body).not.toHaveProperty('secret')
    expect((await api.get('/api/v1/webhooks')).body.items.every((w: object) => !('secret' in w))).toBe(true)

    await api.post('/api/v1/models', { name: 'signed', description: 'd' })
    const [receipt] = await waitFor(() => receiver.at(hook.path).length === 1 && receiver.at(hook.path), 'the model.created delivery')
    const { headers, body, json } = receipt!
    expect(json).toMatchObject({ id: headers['x-canon-delivery-id'], event: 'model.created', data: { model: 'signed', actor: 'tester', after: { name: 'signed', description: 'd' } } })
    expect(new Date(json.timestamp).toISOString()).toBe(json.timestamp)
    expect(headers).toMatchObject({ 'x-canon-event': 'model.created', 'x-canon-attempt': '1', 'content-type': 'application/json' })
    expect(verifySignature(hook.secret, String(headers['x-canon-delivery-id']), String(headers['x-canon-timestamp']), body, String(headers['x-canon-signature']))).toBe(true)
    expect(verifySignature('whsec_some-other-secret-entirely', String(headers['x-canon-delivery-id']), String(headers['x-canon-timestamp']), body, String(headers['x-canon-signature']))).toBe(false)
    expect(verifySignature(hook.secret, String(headers['x-canon-delivery-id']), String(headers['x-canon-timestamp']), body.replace('signed', 'forged'), String(headers['x-canon-signature']))).toBe(false)

    const [delivery] = await settled(hook.id)
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1, event: 'model.created', attemptLog: [{ attempt: 1, statusCode: 200, outcome: 'succeeded', response: 'answered 200' }] })
  })

  it('retries a 500, a 429 and a timeout with backoff, then succeeds; every attempt is listed', async () => {
    const hook = await subscribe({ events: ['model.tag_set'] })
    receiver.answer = (r, i) => {
      if (r.path !== hook.path) return 200
      const nth = receiver.at(hook.path).indexOf(r)
      return i >= 0 && nth === 0 ? 500 : nth === 1 ? { status: 429, headers: { 'retry-after': '0' } } : 200
    }
    await api.post('/api/v1/models', { name: 'retried' })
    await api.put('/api/v1/models/retried/tags/team', { value: 'risk' })
    const [delivery] = await settled(hook.id)
    expect(delivery.status).toBe('succeeded')
    expect(delivery.attemptLog.map((a: any) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [1, 500, 'retrying'],
      [2, 429, 'retrying'],
      [3, 200, 'succeeded'],
    ])
    const receipts = receiver.at(hook.path)
    expect(receipts.map((r) => [r.headers['x-canon-delivery-id'], r.headers['x-canon-attempt']])).toEqual([1, 2, 3].map((n) => [delivery.id, String(n)]))
    // the same body each time: a receiver can deduplicate by the delivery id
    expect(new Set(receipts.map((r) => r.body)).size).toBe(1)

    const slow = await subscribe({ events: ['model.tag_deleted'] })
    receiver.answer = (r) => (r.path === slow.path && receiver.at(slow.path).length === 1 ? 'hang' : 200)
    await api.delete('/api/v1/models/retried/tags/team')
    const [late] = await settled(slow.id)
    expect(late.attemptLog).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: null, error: 'timed out after 400 ms', outcome: 'retrying' }),
      expect.objectContaining({ attempt: 2, statusCode: 200, outcome: 'succeeded' }),
    ])
    receiver.answer = () => 200
  })

  it('gives up after the attempt limit, and at once on a 4xx other than 429', async () => {
    const down = await subscribe({ events: ['model.created'], model: 'down' })
    const gone = await subscribe({ events: ['model.created'], model: 'gone' })
    receiver.answer = (r) => (r.path === down.path ? 503 : r.path === gone.path ? 410 : 200)
    await api.post('/api/v1/models', { name: 'down' })
    await api.post('/api/v1/models', { name: 'gone' })
    const [failed] = await settled(down.id)
    expect(failed.status).toBe('failed')
    expect(failed.attemptLog.map((a: any) => [a.statusCode, a.outcome])).toEqual([
      [503, 'retrying'],
      [503, 'retrying'],
      [503, 'failed'],
    ])
    const [refused] = await settled(gone.id)
    expect(refused).toMatchObject({ status: 'failed', attempts: 1, attemptLog: [{ statusCode: 410, outcome: 'failed' }] })

    // once the receiver is fixed, a failed delivery can be sent again: same id and body, the next attempt
    receiver.answer = () => 200
    const again = await api.post(`/api/v1/webhooks/${gone.id}/deliveries/${refused.id}/redeliver`)
    expect(again.body).toMatchObject({ id: refused.id, status: 'pending', attempts: 1 })
    const [redelivered] = await settled(gone.id)
    expect(redelivered.attemptLog.map((a: any) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [1, 410, 'failed'],
      [2, 200, 'succeeded'],
    ])
    expect(receiver.at(gone.path).map((r) => r.headers['x-canon-delivery-id'])).toEqual([refused.id, refused.id])
    expect((await api.post(`/api/v1/webhooks/${down.id}/deliveries/${refused.id}/redeliver`)).body.error.code).toBe('WEBHOOK_NOT_FOUND')
    expect((await api.get(`/api/v1/webhooks/${down.id}/deliveries?status=failed`)).body.items).toHaveLength(1)
    expect((await api.get(`/api/v1/webhooks/${down.id}/deliveries?status=succeeded`)).body.items).toHaveLength(0)
    receiver.answer = () => 200
  })

  it('filters by model: a webhook on one model hears nothing of another', async () => {
    const fraudOnly = await subscribe({ events: ['*'], model: 'fraud' })
    await api.post('/api/v1/models', { name: 'not-fraud' })
    await api.post('/api/v1/models', { name: 'fraud' })
    await api.post('/api/v1/models/fraud/versions', manifest)
    await api.post('/api/v1/models/not-fraud/versions', manifest)
    const items = await settled(fraudOnly.id, 2)
    // a later event for the filtered model proves the other model's events had their chance to arrive
    await api.put('/api/v1/models/fraud/tags/last', { value: 'yes' })
    await settled(fraudOnly.id, 3)
    const events = receiver
      .at(fraudOnly.path)
      .sort((a, b) => a.json.data.auditSeq - b.json.data.auditSeq)
      .map((r) => [r.json.event, r.json.data.model])
    expect(events).toEqual([
      ['model.created', 'fraud'],
      ['version.created', 'fraud'],
      ['model.tag_set', 'fraud'],
    ])
    expect(items.every((d: any) => d.payload.data.model === 'fraud')).toBe(true)
  })

  it('fires each registry event: created, version created, stage, approval, alias, tags, requests, deleted', async () => {
    const all = await subscribe({ events: ['*'], model: 'every-event' })
    const m = `/api/v1/models/${enc('every-event')}`
    await api.post('/api/v1/models', { name: 'every-event' })
    await api.post(`${m}/versions`, { ...manifest, description: 'v1' })
    await api.post(`${m}/versions`, manifest)
    await api.patch(`${m}/versions/1`, { description: 'first' })
    expect((await api.post(`${m}/versions/1/stage`, { stage: 'Staging', reason: 'ready' })).status).toBe(200)
    expect((await api.post(`${m}/versions/1/approval`, { status: 'approved', comment: 'ok' })).status).toBe(200)
    await api.put(`${m}/aliases/champion`, { version: 1 })
    await api.delete(`${m}/aliases/champion`)
    await api.put(`${m}/versions/1/tags/k`, { value: 'v' })
    await api.delete(`${m}/versions/1/tags/k`)
    const opened = await api.post(`${m}/versions/2/requests`, { kind: 'stage', target: 'Staging', comment: 'please' })
    expect(opened.status, JSON.stringify(opened.body)).toBe(201)
    // auth is off, so the one local user both asks and reviews: a rejection closes the request
    const reviewed = await api.post(`/api/v1/requests/${opened.body.id}/reviews`, { decision: 'reject', comment: 'not yet' })
    expect(reviewed.body.status, JSON.stringify(reviewed.body)).toBe('rejected')
    await api.delete(`${m}/versions/2`)
    await api.delete(m)
    const expected = [
      'model.created',
      'version.created',
      'version.created',
      'version.updated',
      'version.stage_changed',
      'version.approval_decided',
      'alias.moved',
      'alias.deleted',
      'version.tag_set',
      'version.tag_deleted',
      'request.opened',
      'request.reviewed',
      'request.rejected',
      'version.deleted',
      'model.deleted',
    ]
    await settled(all.id, expected.length)
    // delivery order is not guaranteed (attempts run in parallel); the audit sequence number orders events
    const payloads = (await deliveries(all.id)).map((d) => d.payload).sort((a, b) => a.data.auditSeq - b.data.auditSeq)
    expect(payloads.map((p) => p.event)).toEqual(expected)
    expect(payloads.find((p) => p.event === 'version.stage_changed')?.data).toMatchObject({ model: 'every-event', version: 1, before: { stage: 'None' }, after: { stage: 'Staging' }, reason: 'ready' })
    expect(payloads.find((p) => p.event === 'version.approval_decided')?.data).toMatchObject({ version: 1, after: { status: 'approved' }, reason: 'ok' })
    expect(payloads.find((p) => p.event === 'alias.moved')?.data).toMatchObject({ alias: 'champion', after: { version: 1 } })
    expect(payloads.find((p) => p.event === 'request.opened')?.data).toMatchObject({ request: { id: opened.body.id, model: 'every-event', version: 2, kind: 'stage', target: 'Staging' }, reason: 'please' })
    expect(payloads.find((p) => p.event === 'request.rejected')?.data).toMatchObject({ request: { status: 'rejected' }, after: { status: 'rejected' }, reason: 'not yet' })
  })

  it('writes no delivery for a change that was refused (the outbox row shares its transaction)', async () => {
    const hook = await subscribe({ events: ['model.created'], model: 'twice' })
    await api.post('/api/v1/models', { name: 'twice' })
    expect((await api.post('/api/v1/models', { name: 'twice' })).status).toBe(409)
    await settled(hook.id)
    expect(await deliveries(hook.id)).toHaveLength(1)
  })

  it('sends nothing new to a paused webhook, and resumes with later events', async () => {
    const hook = await subscribe({ events: ['model.created'] })
    expect((await api.patch(`/api/v1/webhooks/${hook.id}`, { status: 'paused' })).body.status).toBe('paused')
    await api.post('/api/v1/models', { name: 'while-paused' })
    await api.patch(`/api/v1/webhooks/${hook.id}`, { status: 'active' })
    await api.post('/api/v1/models', { name: 'after-resume' })
    await settled(hook.id)
    expect((await deliveries(hook.id)).map((d) => d.payload.data.model)).toEqual(['after-resume'])
  })

  it('test-delivers a signed webhook.test event once and answers with the recorded attempt', async () => {
    const hook = await subscribe({ events: ['model.created'] })
    const tested = await api.post(`/api/v1/webhooks/${hook.id}/test`)
    expect(tested.status).toBe(200)
    expect(tested.body).toMatchObject({ event: 'webhook.test', status: 'succeeded', attempts: 1, attemptLog: [{ statusCode: 200, outcome: 'succeeded' }] })
    const receipt = receiver.at(hook.path).at(-1) as Receipt
    expect(receipt.json).toMatchObject({ id: tested.body.id, event: 'webhook.test' })
    expect(verifySignature(hook.secret, tested.body.id, String(receipt.headers['x-canon-timestamp']), receipt.body, String(receipt.headers['x-canon-signature']))).toBe(true)

    receiver.answer = (r) => (r.path === hook.path ? 500 : 200)
    const failing = await api.post(`/api/v1/webhooks/${hook.id}/test`)
    expect(failing.body).toMatchObject({ status: 'failed', attempts: 1, attemptLog: [{ statusCode: 500, outcome: 'failed' }] })
    receiver.answer = () => 200

    const rotated = await api.patch(`/api/v1/webhooks/${hook.id}`, { rotateSecret: true })
    expect(rotated.body.secret).toMatch(/^whsec_/)
    expect(rotated.body.secret).not.toBe(hook.secret)
    const again = await api.post(`/api/v1/webhooks/${hook.id}/test`)
    const last = receiver.at(hook.path).at(-1) as Receipt
    expect(verifySignature(rotated.body.secret, again.body.id, String(last.headers['x-canon-timestamp']), last.body, String(last.headers['x-canon-signature']))).toBe(true)
  })

  it('refuses bad subscriptions with a 4xx and deletes a webhook with its history', async () => {
    expect((await api.post('/api/v1/webhooks', { name: 'x', url: 'ftp://example.com/hook', events: ['model.created'] })).body.error.code).toBe('INVALID_INPUT')
    expect((await api.post('/api/v1/webhooks', { name: 'x', url: 'http://example.com/hook', events: ['model.exploded'] })).body.error.code).toBe('INVALID_INPUT')
    expect((await api.post('/api/v1/webhooks', { name: 'x', url: 'http://example.com/hook', events: [] })).status).toBe(400)
    expect((await api.get('/api/v1/webhooks/no-such-hook')).body.error.code).toBe('WEBHOOK_NOT_FOUND')
    const hook = await subscribe({ events: ['model.created'] })
    expect((await api.delete(`/api/v1/webhooks/${hook.id}`)).status).toBe(204)
    expect((await api.get(`/api/v1/webhooks/${hook.id}/deliveries`)).status).toBe(404)
    const audit = (await api.get('/api/v1/audit?limit=500')).body.items.filter((e: any) => e.target === `webhook:${hook.id}`)
    expect(audit.map((e: any) => e.action)).toEqual(['webhook.create', 'webhook.delete'])
    expect(JSON.stringify(audit)).not.toContain(hook.secret)
  })
})
