import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client } from '../support/http'
import { WebhookReceiver, waitFor, type Receipt } from '../support/webhook-receiver'
import { verifySignature } from '../../src/domain/webhook-signature'

// MLflow 3.3+'s webhook API (/mlflow/webhooks) over Canon's webhook machinery: MLflow's shapes, payload and X-MLflow-* headers.

const ML = '/api/2.0/mlflow'
const SECRET = 'mlflow-shared-secret-1234'

describe.each(backends)('MLflow webhooks on %s', (backend) => {
  let server: TestServer
  let api: ReturnType<typeof client>
  let receiver: WebhookReceiver

  beforeAll(async () => {
    server = await startTestServer(backend, { CANON_WEBHOOK_POLL_MS: '20', CANON_WEBHOOK_BACKOFF_MS: '10' })
    api = client(server.url)
    receiver = await new WebhookReceiver().start()
  })
  afterAll(async () => {
    await server?.stop()
    await receiver?.stop()
  })

  const signed = (r: Receipt, secret: string) =>
    verifySignature(secret, String(r.headers['x-mlflow-delivery-id']), String(r.headers['x-mlflow-timestamp']), r.body, String(r.headers['x-mlflow-signature']))

  it('creates, gets, lists, updates and deletes a webhook in MLflow shapes', async () => {
    const created = await api.post(`${ML}/webhooks`, {
      name: 'ci',
      url: `${receiver.url}/crud`,
      events: [{ entity: 'MODEL_VERSION', action: 'CREATED' }, { entity: 'registered_model', action: 'created' }],
      secret: SECRET,
      description: 'deploy on new versions',
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const webhook = created.body.webhook
    expect(webhook).toMatchObject({
      name: 'ci',
      description: 'deploy on new versions',
      url: `${receiver.url}/crud`,
      events: [{ entity: 'MODEL_VERSION', action: 'CREATED' }, { entity: 'REGISTERED_MODEL', action: 'CREATED' }],
      status: 'ACTIVE',
    })
    expect(webhook).not.toHaveProperty('secret')
    expect(typeof webhook.creation_timestamp).toBe('number')

    expect((await api.get(`${ML}/webhooks/${webhook.webhook_id}`)).body.webhook).toEqual(webhook)
    expect((await api.get(`${ML}/webhooks`)).body.webhooks.map((w: any) => w.webhook_id)).toContain(webhook.webhook_id)
    const updated = await api.patch(`${ML}/webhooks/${webhook.webhook_id}`, { status: 'DISABLED', events: [{ entity: 'model_version_alias', action: 'created' }] })
    expect(updated.body.webhook).toMatchObject({ status: 'DISABLED', events: [{ entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' }] })
    // the native API sees the same webhook
    expect((await api.get(`/api/v1/webhooks/${webhook.webhook_id}`)).body).toMatchObject({ format: 'mlflow', status: 'paused' })
    expect((await api.delete(`${ML}/webhooks/${webhook.webhook_id}`)).body).toEqual({})
    expect((await api.get(`${ML}/webhooks/${webhook.webhook_id}`)).body).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' })
  })

  it("delivers MLflow's payload with X-MLflow-Signature for registry changes made through either face", async () => {
    const created = await api.post(`${ML}/webhooks`, {
      name: 'all',
      url: `${receiver.url}/mlflow`,
      secret: SECRET,
      events: ['registered_model.created', 'model_version.created', 'model_version_tag.set', 'model_version_tag.deleted', 'model_version_alias.created', 'model_version_alias.deleted'].map((e) => {
        const [entity, action] = e.split('.')
        return { entity, action }
      }),
    })
    expect(created.status).toBe(200)
    await api.post(`${ML}/registered-models/create`, { name: 'ml-model', tags: [{ key: 'team', value: 'risk' }], description: 'from mlflow' })
    const file = await api.upload('model.bin', new TextEncoder().encode('mlflow webhook weights'))
    await api.post('/api/v1/models/ml-model/versions', { files: [file], description: 'native', tags: { stage: 'dev' } })
    await api.post(`${ML}/model-versions/set-tag`, { name: 'ml-model', version: '1', key: 'k', value: 'v' })
    await api.call('DELETE', `${ML}/model-versions/delete-tag`, { name: 'ml-model', version: '1', key: 'k' })
    await api.post(`${ML}/registered-models/alias`, { name: 'ml-model', alias: 'champion', version: '1' })
    await api.call('DELETE', `${ML}/registered-models/alias`, { name: 'ml-model', alias: 'champion' })
    // a change with no MLflow event (a stage change) sends nothing
    await api.post('/api/v1/models/ml-model/versions/1/stage', { stage: 'Staging' })

    const receipts = await waitFor(() => receiver.at('/mlflow').length >= 6 && receiver.at('/mlflow'), 'six MLflow deliveries')
    const byEvent = Object.fromEntries(receipts.map((r) => [`${r.json.entity}.${r.json.action}`, r]))
    expect(Object.keys(byEvent).sort()).toEqual(['model_version.created', 'model_version_alias.created', 'model_version_alias.deleted', 'model_version_tag.deleted', 'model_version_tag.set', 'registered_model.created'])
    expect(byEvent['registered_model.created']!.json).toMatchObject({ entity: 'registered_model', action: 'created', data: { name: 'ml-model', tags: { team: 'risk' }, description: 'from mlflow' } })
    expect(byEvent['model_version.created']!.json.data).toMatchObject({ name: 'ml-model', version: '1', tags: { stage: 'dev' }, description: 'native' })
    expect(byEvent['model_version_tag.set']!.json.data).toEqual({ name: 'ml-model', version: '1', key: 'k', value: 'v' })
    expect(byEvent['model_version_tag.deleted']!.json.data).toEqual({ name: 'ml-model', version: '1', key: 'k' })
    expect(byEvent['model_version_alias.created']!.json.data).toEqual({ name: 'ml-model', alias: 'champion', version: '1' })
    expect(byEvent['model_version_alias.deleted']!.json.data).toEqual({ name: 'ml-model', alias: 'champion' })
    for (const r of receipts) {
      expect(Object.keys(r.json).sort()).toEqual(['action', 'data', 'entity', 'timestamp'])
      expect(signed(r, SECRET)).toBe(true)
      expect(r.headers).not.toHaveProperty('x-canon-signature')
    }
  })

  it('sends unsigned deliveries when no secret is set, and tests a webhook with an example payload', async () => {
    const created = await api.post(`${ML}/webhooks`, { name: 'unsigned', url: `${receiver.url}/unsigned`, events: [{ entity: 'model_version_tag', action: 'set' }] })
    const id = created.body.webhook.webhook_id
    const tested = await api.post(`${ML}/webhooks/${id}/test`, {})
    expect(tested.body).toEqual({ result: { success: true, response_status: 200, response_body: 'answered 200' } })
    const receipt = receiver.at('/unsigned').at(-1)!
    expect(receipt.json).toMatchObject({ entity: 'model_version_tag', action: 'set', data: { name: 'example_model', version: '1', key: 'example_key', value: 'example_value' } })
    expect(receipt.headers).not.toHaveProperty('x-mlflow-signature')
    expect(receipt.headers['x-mlflow-delivery-id']).toBeTruthy()

    receiver.answer = (r) => (r.path === '/unsigned' ? 500 : 200)
    const failing = await api.post(`${ML}/webhooks/${id}/test`, {})
    expect(failing.body.result).toMatchObject({ success: false, response_status: 500 })
    receiver.answer = () => 200
    expect((await api.post(`${ML}/webhooks/${id}/test`, { event: { entity: 'model_version', action: 'created' } })).body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' })
  })

  it('refuses bad input with INVALID_PARAMETER_VALUE and hides native webhooks', async () => {
    const bad = (body: object) => api.post(`${ML}/webhooks`, { name: 'x', url: 'http://127.0.0.1:9/x', events: [{ entity: 'model_version', action: 'created' }], ...body })
    expect((await bad({ events: [{ entity: 'prompt', action: 'created' }] })).body.error_code).toBe('INVALID_PARAMETER_VALUE')
    expect((await bad({ events: [] })).body.error_code).toBe('INVALID_PARAMETER_VALUE')
    expect((await bad({ url: 'file:///etc/passwd' })).body.error_code).toBe('INVALID_PARAMETER_VALUE')
    expect((await bad({ status: 'SLEEPING' })).body.error_code).toBe('INVALID_PARAMETER_VALUE')
    expect((await bad({ name: '' })).body.error_code).toBe('INVALID_PARAMETER_VALUE')
    const native = await api.post('/api/v1/webhooks', { name: 'native', url: 'http://127.0.0.1:9/n', events: ['model.created'] })
    expect((await api.get(`${ML}/webhooks/${native.body.id}`)).status).toBe(404)
    expect((await api.get(`${ML}/webhooks`)).body.webhooks.map((w: any) => w.webhook_id)).not.toContain(native.body.id)
    expect((await api.get(`${ML}/webhooks?max_results=0`)).body.error_code).toBe('INVALID_PARAMETER_VALUE')
  })
})
