import { randomUUID } from 'node:crypto'
import type { CreateWebhookInput, UpdateWebhookInput, Webhook, WebhookAttempt, WebhookDelivery } from '@canon/api'
import { Limits } from '@canon/api'
import { CanonError } from '../domain/errors'
import { checkModelName } from '../domain/validation'
import { checkEventNames, checkWebhookUrl } from '../domain/webhook-events'
import { canonEnvelope, mlflowEnvelope, sampleCanonData, sampleMlflowData } from '../domain/webhook-payloads'
import { newWebhookSecret } from '../domain/webhook-signature'
import { attemptDelivery } from '../events/attempt-delivery'
import type { SendResult } from '../events/send-webhook'
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookRow } from '../store/webhooks.table'
import type { Actor, ServiceDeps } from './context'
import { DEFAULT_WEBHOOK_SETTINGS } from './webhook-settings'

export type WebhookFormat = 'canon' | 'mlflow'

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString())

export const webhookNotFound = (id: string) => new CanonError('WEBHOOK_NOT_FOUND', `Webhook '${id.slice(0, 64)}' does not exist.`, { webhook: id.slice(0, 64) })

export function toWebhook(row: WebhookRow, secret?: string): Webhook {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    model: row.model,
    status: row.status as Webhook['status'],
    format: row.format as Webhook['format'],
    createdAt: iso(row.created_at)!,
    createdBy: row.created_by,
    updatedAt: iso(row.updated_at)!,
    ...(secret !== undefined ? { secret } : {}),
  }
}

/** Creates a subscription. The secret (generated unless given) is in this answer only; Canon keeps it to sign with. */
export async function createWebhook(deps: ServiceDeps, actor: Actor, input: CreateWebhookInput, format: WebhookFormat = 'canon', checkEvents = checkEventNames): Promise<Webhook> {
  const url = checkWebhookUrl(input.url)
  const events = checkEvents(input.events)
  const model = input.model === undefined ? null : checkModelName(input.model)
  // MLflow's API allows a webhook without a secret (unsigned deliveries); Canon's always signs.
  const secret = input.secret ?? (format === 'canon' ? newWebhookSecret() : '')
  const at = deps.clock()
  const id = randomUUID()
  await deps.store.transaction(async (tx) => {
    await tx.webhooks.insert({ id, name: input.name, description: input.description ?? '', url, events: JSON.stringify(events), model, secret, status: input.status ?? 'active', format, created_at: at, created_by: actor.name, updated_at: at })
    await tx.audit.append({ at, actor: actor.name, action: 'webhook.create', target: `webhook:${id}`, after: { name: input.name, url, events, model, format } })
  })
  return toWebhook((await deps.store.webhooks.byId(id))!, secret || undefined)
}

/** The first `limit` webhooks (every list is bounded), oldest first. */
export async function listWebhooks(deps: Pick<ServiceDeps, 'store'>, format?: WebhookFormat, limit: number = Limits.pageSize): Promise<Webhook[]> {
  return (await deps.store.webhooks.list(format, limit)).map((row) => toWebhook(row))
}

export async function getWebhook(deps: Pick<ServiceDeps, 'store'>, id: string): Promise<Webhook> {
  const row = await deps.store.webhooks.byId(id)
  if (!row) throw webhookNotFound(id)
  return toWebhook(row)
}

export type WebhookPatch = UpdateWebhookInput & { secret?: string }

/** Changes a subscription; pausing stops new events reaching it (deliveries already queued still go out). */
export async function updateWebhook(deps: ServiceDeps, actor: Actor, id: string, patch: WebhookPatch, checkEvents = checkEventNames): Promise<Webhook> {
  const changes = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.url !== undefined ? { url: checkWebhookUrl(patch.url) } : {}),
    ...(patch.events !== undefined ? { events: JSON.stringify(checkEvents(patch.events)) } : {}),
    ...(patch.model !== undefined ? { model: patch.model === null ? null : checkModelName(patch.model) } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
  }
  const at = deps.clock()
  const secret = patch.rotateSecret ? newWebhookSecret() : patch.secret
  await deps.store.transaction(async (tx) => {
    const row = await tx.webhooks.byId(id)
    if (!row) throw webhookNotFound(id)
    await tx.webhooks.update(id, { ...changes, ...(secret !== undefined ? { secret } : {}), updated_at: at })
    const before = Object.fromEntries(Object.keys(changes).map((key) => [key, row[key as keyof WebhookRow]]))
    await tx.audit.append({ at, actor: actor.name, action: 'webhook.update', target: `webhook:${id}`, before, after: { ...changes, ...(secret !== undefined ? { secret: 'rotated' } : {}) } })
  })
  return toWebhook((await deps.store.webhooks.byId(id))!, patch.rotateSecret ? secret : undefined)
}

/** Deletes a subscription with its deliveries and their attempts; refused while a schedule fires it. */
export async function deleteWebhook(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const row = await tx.webhooks.byId(id)
    if (!row) throw webhookNotFound(id)
    const schedules = await tx.schedules.countForWebhook(id)
    if (schedules > 0) throw new CanonError('INVALID_STATE', `Webhook '${id}' is fired by ${schedules} schedule(s); delete them first.`, { webhook: id, schedules })
    await tx.webhooks.delete(id)
    await tx.audit.append({ at, actor: actor.name, action: 'webhook.delete', target: `webhook:${id}`, before: { name: row.name, url: row.url } })
  })
}

function toAttempt(row: WebhookAttemptRow): WebhookAttempt {
  return {
    attempt: Number(row.attempt),
    at: iso(row.started_at)!,
    durationMs: Number(row.duration_ms),
    statusCode: row.status_code === null ? null : Number(row.status_code),
    error: row.error,
    response: row.response_snippet,
    outcome: row.outcome as WebhookAttempt['outcome'],
  }
}

export async function toDeliveries(deps: Pick<ServiceDeps, 'store'>, rows: WebhookDeliveryRow[]): Promise<WebhookDelivery[]> {
  const attempts = await deps.store.webhooks.attempts(rows.map((r) => r.id))
  return rows.map((row) => ({
    id: row.id,
    webhookId: row.webhook_id,
    event: row.event,
    status: row.status as WebhookDelivery['status'],
    attempts: Number(row.attempts),
    createdAt: iso(row.created_at)!,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    payload: JSON.parse(row.body) as unknown,
    attemptLog: attempts.filter((a) => a.delivery_id === row.id).map(toAttempt),
  }))
}

/** A webhook's deliveries, newest first, each with every attempt made. */
export async function listDeliveries(deps: Pick<ServiceDeps, 'store'>, id: string, query: { status?: string; limit?: number }): Promise<WebhookDelivery[]> {
  if (!(await deps.store.webhooks.byId(id))) throw webhookNotFound(id)
  return toDeliveries(deps, await deps.store.webhooks.deliveries(id, { status: query.status, limit: query.limit ?? 50 }))
}

/**
 * Sends a sample event now, once (no retries), and answers with the recorded delivery. A native webhook gets event
 * 'webhook.test'; an MLflow one gets MLflow's example payload for the event asked for (default: its first).
 */
export async function testWebhook(deps: ServiceDeps, id: string, event?: string): Promise<{ delivery: WebhookDelivery; result: SendResult }> {
  const row = await deps.store.webhooks.byId(id)
  if (!row) throw webhookNotFound(id)
  const settings = deps.webhooks ?? DEFAULT_WEBHOOK_SETTINGS
  const deliveryId = randomUUID()
  const at = deps.clock()
  const name = row.format === 'mlflow' ? (event ?? (JSON.parse(row.events) as string[])[0] ?? 'registered_model.created') : 'webhook.test'
  const body = row.format === 'mlflow' ? mlflowEnvelope(name, at, sampleMlflowData(name)) : canonEnvelope(deliveryId, name, at, sampleCanonData(name))
  // Claimed from the start (status 'sending', attempt 1): no worker picks a test delivery up.
  await deps.store.webhooks.enqueue([{ id: deliveryId, webhookId: id, event: name, body, at }], 'sending', at + settings.timeoutMs + 30_000)
  const claimed = { id: deliveryId, event: name, body, attempt: 1, url: row.url, secret: row.secret, format: row.format }
  const { result } = await attemptDelivery(deps, claimed, { ...settings, maxAttempts: 1 })
  const [delivery] = await toDeliveries(deps, await deps.store.webhooks.deliveriesByIds([deliveryId]))
  return { delivery: delivery!, result }
}

/**
 * Sends a finished delivery (succeeded or failed) again, as soon as a worker polls: the same id and body, the next
 * attempt number, and the retries it has left (at least this one attempt).
 */
export async function redeliver(deps: ServiceDeps, actor: Actor, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const row = await tx.webhooks.delivery(deliveryId)
    if (!row || row.webhook_id !== webhookId) {
      if (!(await tx.webhooks.byId(webhookId))) throw webhookNotFound(webhookId)
      throw new CanonError('WEBHOOK_NOT_FOUND', `Webhook '${webhookId}' has no delivery '${deliveryId.slice(0, 64)}'.`, { webhook: webhookId, delivery: deliveryId.slice(0, 64) })
    }
    if (!(await tx.webhooks.requeue(deliveryId, at))) {
      throw new CanonError('INVALID_STATE', `Delivery '${deliveryId}' is ${row.status}; only a delivery that succeeded or failed can be sent again.`, { delivery: deliveryId, status: row.status })
    }
    await tx.audit.append({ at, actor: actor.name, action: 'webhook.redeliver', target: `webhook:${webhookId}`, after: { delivery: deliveryId, event: row.event } })
  })
  const [delivery] = await toDeliveries(deps, await deps.store.webhooks.deliveriesByIds([deliveryId]))
  return delivery!
}
