import type { ChangeEvent, TargetParts } from './webhook-events'

// The bodies subscribers receive. Canon's envelope: {id, event, timestamp, data}. MLflow's: {entity, action, timestamp, data}.

/** MLflow's model registry events (entity.action), as MLflow 3.3+ names them. */
export const MlflowWebhookEvents = [
  'registered_model.created',
  'model_version.created',
  'model_version_tag.set',
  'model_version_tag.deleted',
  'model_version_alias.created',
  'model_version_alias.deleted',
] as const

const mlflowEventOfAction: Record<string, (typeof MlflowWebhookEvents)[number]> = {
  'model.create': 'registered_model.created',
  'version.create': 'model_version.created',
  'version.tag.set': 'model_version_tag.set',
  'version.tag.delete': 'model_version_tag.deleted',
  'alias.set': 'model_version_alias.created',
  'alias.delete': 'model_version_alias.deleted',
}

export function mlflowEventOf(action: string): string | undefined {
  return mlflowEventOfAction[action]
}

/** A transition request as events describe it (request targets name only the request id). */
export interface RequestFacts {
  id: number
  model: string
  version: number
  kind: string
  target: string
  status: string
}

/** A version's facts MLflow's model_version.created payload carries. */
export interface VersionFacts {
  description: string
  source: string | null
  runId: string | null
  tags: Record<string, string>
}

export function canonEventData(change: ChangeEvent, parts: TargetParts, request: RequestFacts | undefined): Record<string, unknown> {
  const after = change.after as Record<string, unknown> | null
  const data: Record<string, unknown> = {}
  const model = parts.model ?? request?.model ?? (parts.deployment !== undefined && typeof after?.model === 'string' ? after.model : undefined)
  if (model !== undefined) data.model = model
  if (parts.version !== undefined) data.version = parts.version
  if (parts.alias !== undefined) data.alias = parts.alias
  if (parts.deployment !== undefined) data.deployment = parts.deployment
  if (request) data.request = request
  return { ...data, action: change.action, actor: change.actor, reason: change.reason, before: change.before ?? null, after: change.after ?? null, auditSeq: change.seq }
}

export function canonEnvelope(id: string, event: string, at: number, data: unknown): string {
  return JSON.stringify({ id, event, timestamp: new Date(at).toISOString(), data })
}

/** MLflow's payload for an event, from the audited change (and the version's facts for model_version.created). */
export function mlflowEventData(change: ChangeEvent, parts: TargetParts, version: VersionFacts | undefined): Record<string, unknown> {
  const name = parts.model ?? ''
  const after = (change.after ?? {}) as Record<string, unknown>
  const before = (change.before ?? {}) as Record<string, unknown>
  switch (change.action) {
    case 'model.create':
      return { name, tags: (after.tags as Record<string, string> | undefined) ?? {}, description: (after.description as string | undefined) || null }
    case 'version.create':
      return { name, version: String(parts.version), source: version?.source ?? '', run_id: version?.runId ?? null, tags: version?.tags ?? {}, description: version?.description || null }
    case 'version.tag.set': {
      const [key, value] = Object.entries(after)[0] ?? ['', '']
      return { name, version: String(parts.version), key, value }
    }
    case 'version.tag.delete':
      return { name, version: String(parts.version), key: Object.keys(before)[0] ?? '' }
    case 'alias.set':
      return { name, alias: parts.alias, version: String(after.version) }
    default:
      return { name, alias: parts.alias }
  }
}

export function mlflowEnvelope(event: string, at: number, data: unknown): string {
  const [entity, action] = event.split('.')
  return JSON.stringify({ entity, action, timestamp: new Date(at).toISOString(), data })
}

/** A sample of each event, for test deliveries. */
export function sampleCanonData(event: string): Record<string, unknown> {
  return { test: true, event, model: 'example-model', version: 1, actor: 'canon', reason: 'a test delivery' }
}

export function sampleMlflowData(event: string): Record<string, unknown> {
  const base = { name: 'example_model' }
  switch (event) {
    case 'registered_model.created':
      return { ...base, tags: { example_key: 'example_value' }, description: 'An example registered model' }
    case 'model_version.created':
      return { ...base, version: '1', source: 'models:/example_model/1', run_id: null, tags: {}, description: 'An example model version' }
    case 'model_version_tag.set':
      return { ...base, version: '1', key: 'example_key', value: 'example_value' }
    case 'model_version_tag.deleted':
      return { ...base, version: '1', key: 'example_key' }
    case 'model_version_alias.created':
      return { ...base, alias: 'example_alias', version: '1' }
    default:
      return { ...base, alias: 'example_alias' }
  }
}
