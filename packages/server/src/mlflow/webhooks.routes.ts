import type { FastifyInstance } from 'fastify'
import type { Webhook } from '@canon/api'
import { CanonError } from '../domain/errors'
import { MlflowWebhookEvents } from '../domain/webhook-payloads'
import { allow } from '../http/permission-rules'
import type { ServiceDeps } from '../services/context'
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, testWebhook, updateWebhook, webhookNotFound, type WebhookPatch } from '../services/webhooks.service'
import { MlflowFields } from './request-fields'

// MLflow 3.3+'s webhook API (WebhookService in webhooks.proto) over Canon's webhook tables and delivery worker. These
// webhooks get MLflow's payload ({entity, action, timestamp, data}) and X-MLflow-* headers; a secret is optional, as there.

const statusOf = { active: 'ACTIVE', paused: 'DISABLED' } as const

function toMlflowWebhook(webhook: Webhook) {
  return {
    webhook_id: webhook.id,
    name: webhook.name,
    description: webhook.description,
    url: webhook.url,
    // proto enum names, as MLflow's server writes them and its client's JSON parser requires
    events: webhook.events.map((e) => {
      const [entity = '', action = ''] = e.split('.')
      return { entity: entity.toUpperCase(), action: action.toUpperCase() }
    }),
    status: statusOf[webhook.status],
    creation_timestamp: Date.parse(webhook.createdAt),
    last_updated_timestamp: Date.parse(webhook.updatedAt),
  }
}

/** MLflow's events as {entity, action} (enum names or values, any case), as 'entity.action' strings. */
function parseEvents(f: MlflowFields, required: boolean): string[] | undefined {
  const list = f.objectList('events')
  if (list.length === 0) {
    if (required) throw new CanonError('INVALID_INPUT', "Missing value for required parameter 'events'. Give at least one {entity, action}.", { field: 'events' })
    return undefined
  }
  return list.map((item) => eventName(item, 'events'))
}

function eventName(item: unknown, field: string): string {
  const event = (item && typeof item === 'object' ? item : {}) as { entity?: unknown; action?: unknown }
  const name = `${String(event.entity ?? '').toLowerCase()}.${String(event.action ?? '').toLowerCase()}`
  if (!(MlflowWebhookEvents as readonly string[]).includes(name)) {
    throw new CanonError('INVALID_INPUT', `Invalid webhook event '${name.slice(0, 80)}'; Canon serves: ${MlflowWebhookEvents.join(', ')}.`, { field })
  }
  return name
}

const checkMlflowEvents = (events: readonly string[]) => [...new Set(events)]

function parseStatus(f: MlflowFields): 'active' | 'paused' | undefined {
  const status = f.optionalString('status')
  if (status === undefined) return undefined
  if (status.toUpperCase() === 'ACTIVE') return 'active'
  if (status.toUpperCase() === 'DISABLED') return 'paused'
  throw new CanonError('INVALID_INPUT', `Invalid webhook status '${status.slice(0, 40)}'; use ACTIVE or DISABLED.`, { field: 'status' })
}

function boundedString(f: MlflowFields, name: string, max: number, required: true): string
function boundedString(f: MlflowFields, name: string, max: number, required?: false): string | undefined
function boundedString(f: MlflowFields, name: string, max: number, required = false): string | undefined {
  const value = required ? f.requiredString(name) : f.optionalString(name)
  if (value !== undefined && value.length > max) throw new CanonError('INVALID_INPUT', `'${name}' is longer than ${max} characters.`, { field: name })
  return value
}

function parseSecret(f: MlflowFields): string | undefined {
  const secret = boundedString(f, 'secret', 256)
  if (secret === undefined || secret === '') return undefined
  return secret
}

/** An MLflow webhook only: a native one has Canon's event names, which MLflow clients cannot read. */
async function mlflowWebhook(deps: ServiceDeps, id: string): Promise<Webhook> {
  const webhook = await getWebhook(deps, id)
  if (webhook.format !== 'mlflow') throw webhookNotFound(id)
  return webhook
}

export async function webhookRoutes(app: FastifyInstance, { deps }: { deps: ServiceDeps }) {
  app.post('/webhooks', { config: allow.admin() }, async (request) => {
    const f = new MlflowFields(request)
    const input = {
      name: boundedString(f, 'name', 256, true),
      url: boundedString(f, 'url', 2048, true),
      events: parseEvents(f, true)!,
      description: boundedString(f, 'description', 5000),
      secret: parseSecret(f),
      status: parseStatus(f),
    }
    return { webhook: toMlflowWebhook(await createWebhook(deps, request.actor, input, 'mlflow', checkMlflowEvents)) }
  })

  app.get('/webhooks', { config: allow.admin() }, async (request) => {
    const f = new MlflowFields(request)
    const max = f.optionalInteger('max_results') ?? 100
    if (max < 1 || max > 1000) throw new CanonError('INVALID_INPUT', `Invalid value ${max} for parameter 'max_results': use 1 to 1000.`, { field: 'max_results' })
    const token = f.optionalString('page_token')
    const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0
    if (!Number.isSafeInteger(offset) || offset < 0) throw new CanonError('INVALID_INPUT', 'Invalid page_token; start again without one.', { field: 'page_token' })
    // one past the page tells whether there is a next one
    const all = await listWebhooks(deps, 'mlflow', offset + max + 1)
    const page = all.slice(offset, offset + max)
    const next = offset + max < all.length ? Buffer.from(String(offset + max)).toString('base64url') : undefined
    return { webhooks: page.map(toMlflowWebhook), ...(next ? { next_page_token: next } : {}) }
  })

  app.get('/webhooks/:webhook_id', { config: allow.admin() }, async (request) => {
    const { webhook_id: id } = request.params as { webhook_id: string }
    return { webhook: toMlflowWebhook(await mlflowWebhook(deps, id)) }
  })

  app.patch('/webhooks/:webhook_id', { config: allow.admin() }, async (request) => {
    const { webhook_id: id } = request.params as { webhook_id: string }
    await mlflowWebhook(deps, id)
    const f = new MlflowFields(request)
    const patch: WebhookPatch = {}
    const name = boundedString(f, 'name', 256)
    const url = boundedString(f, 'url', 2048)
    const description = boundedString(f, 'description', 5000)
    const events = parseEvents(f, false)
    const status = parseStatus(f)
    const secret = parseSecret(f)
    if (name) patch.name = name
    if (url) patch.url = url
    if (description !== undefined) patch.description = description
    if (events) patch.events = events
    if (status) patch.status = status
    if (secret) patch.secret = secret
    return { webhook: toMlflowWebhook(await updateWebhook(deps, request.actor, id, patch, checkMlflowEvents)) }
  })

  app.delete('/webhooks/:webhook_id', { config: allow.admin() }, async (request) => {
    const { webhook_id: id } = request.params as { webhook_id: string }
    await mlflowWebhook(deps, id)
    await deleteWebhook(deps, request.actor, id)
    return {}
  })

  app.post('/webhooks/:webhook_id/test', { config: allow.admin() }, async (request) => {
    const { webhook_id: id } = request.params as { webhook_id: string }
    const webhook = await mlflowWebhook(deps, id)
    const given = (request.body as { event?: unknown } | undefined)?.event
    const event = given === undefined || given === null ? undefined : eventName(given, 'event')
    if (event !== undefined && !webhook.events.includes(event)) {
      throw new CanonError('INVALID_INPUT', `Webhook '${id}' is not subscribed to '${event}'.`, { field: 'event' })
    }
    const { result } = await testWebhook(deps, id, event)
    const success = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300
    return {
      result: {
        success,
        ...(result.statusCode !== null ? { response_status: result.statusCode } : {}),
        ...(result.response !== null ? { response_body: result.response } : {}),
        ...(result.error !== null ? { error_message: `Failed to test webhook: ${result.error}` } : {}),
      },
    }
  })
}
