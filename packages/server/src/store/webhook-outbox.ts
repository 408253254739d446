import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from './database'
import { parseTarget, subscribes, webhookEventOf, type ChangeEvent } from '../domain/webhook-events'
import { canonEnvelope, canonEventData, mlflowEnvelope, mlflowEventData, mlflowEventOf, type RequestFacts, type VersionFacts } from '../domain/webhook-payloads'
import type { NewDelivery, WebhooksRepo } from './webhooks.repo'

/**
 * The outbox hook: called with every audited change, inside the change's transaction. It writes one delivery row per
 * subscription that wants the event, so a delivery exists exactly when the change committed. Subscriptions are matched
 * now (not by the worker) so a webhook created later is never sent older events.
 */
export async function enqueueWebhookDeliveries(db: Kysely<Database>, webhooks: WebhooksRepo, change: ChangeEvent): Promise<void> {
  const event = webhookEventOf(change.action)
  const mlflowEvent = mlflowEventOf(change.action)
  if (!event && !mlflowEvent) return
  const hooks = await webhooks.active()
  if (hooks.length === 0) return

  const parts = parseTarget(change.target)
  const request = parts.request !== undefined ? await requestFacts(db, parts.request) : undefined
  const after = change.after as { model?: unknown } | null
  const model = parts.model ?? request?.model ?? (typeof after?.model === 'string' ? after.model : undefined)
  const deliveries: NewDelivery[] = []
  let versionFacts: VersionFacts | undefined
  for (const hook of hooks) {
    const events = JSON.parse(hook.events) as string[]
    const id = randomUUID()
    if (hook.format === 'mlflow') {
      if (!mlflowEvent || !events.includes(mlflowEvent)) continue
      if (change.action === 'version.create') versionFacts ??= await versionFactsOf(db, parts.model ?? '', parts.version ?? 0)
      deliveries.push({ id, webhookId: hook.id, event: mlflowEvent, body: mlflowEnvelope(mlflowEvent, change.at, mlflowEventData(change, parts, versionFacts)), at: change.at })
    } else if (event && subscribes(events, hook.model, event, model)) {
      deliveries.push({ id, webhookId: hook.id, event, body: canonEnvelope(id, event, change.at, canonEventData(change, parts, request)), at: change.at })
    }
  }
  await webhooks.enqueue(deliveries)
}

async function requestFacts(db: Kysely<Database>, id: number): Promise<RequestFacts | undefined> {
  const row = await db
    .selectFrom('transition_requests as r')
    .innerJoin('registered_models as m', 'm.id', 'r.model_id')
    .innerJoin('model_versions as v', 'v.id', 'r.version_id')
    .select(['r.id', 'm.name', 'v.version', 'r.kind', 'r.target', 'r.status'])
    .where('r.id', '=', id)
    .executeTakeFirst()
  return row && { id: Number(row.id), model: row.name, version: Number(row.version), kind: row.kind, target: row.target, status: row.status }
}

async function versionFactsOf(db: Kysely<Database>, model: string, version: number): Promise<VersionFacts | undefined> {
  const row = await db
    .selectFrom('model_versions as v')
    .innerJoin('registered_models as m', 'm.id', 'v.model_id')
    .select(['v.id', 'v.description', 'v.source', 'v.run_id'])
    .where('m.name', '=', model)
    .where('v.version', '=', version)
    .executeTakeFirst()
  if (!row) return undefined
  const tags = await db.selectFrom('version_tags').select(['key', 'value']).where('version_id', '=', row.id).execute()
  return { description: row.description, source: row.source, runId: row.run_id, tags: Object.fromEntries(tags.map((t) => [t.key, t.value])) }
}
