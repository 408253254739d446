import type { WebhookEvent } from '@canon/api'
import { WebhookEvents } from '@canon/api'
import { CanonError } from './errors'

// Which audited changes are webhook events, and what a subscriber is told about each. Pure: no I/O.

/** The audit action each native event comes from. */
const eventOfAction: Record<string, WebhookEvent> = {
  'model.create': 'model.created',
  'model.update': 'model.updated',
  'model.rename': 'model.updated',
  'model.delete': 'model.deleted',
  'model.tag.set': 'model.tag_set',
  'model.tag.delete': 'model.tag_deleted',
  'model.rollback': 'model.rolled_back',
  'version.create': 'version.created',
  'version.update': 'version.updated',
  'version.delete': 'version.deleted',
  'version.stage': 'version.stage_changed',
  'version.approval': 'version.approval_decided',
  'version.tag.set': 'version.tag_set',
  'version.tag.delete': 'version.tag_deleted',
  'alias.set': 'alias.moved',
  'alias.delete': 'alias.deleted',
  'card.update': 'card.updated',
  'policy.set': 'policy.changed',
  'request.create': 'request.opened',
  'request.review': 'request.reviewed',
  'request.apply': 'request.applied',
  'request.reject': 'request.rejected',
  'request.cancel': 'request.cancelled',
  'deployment.create': 'deployment.changed',
  'deployment.update': 'deployment.changed',
  'deployment.delete': 'deployment.changed',
}

export function webhookEventOf(action: string): WebhookEvent | undefined {
  return eventOfAction[action]
}

/** The audited change as the outbox sees it. */
export interface ChangeEvent {
  seq: number
  at: number
  actor: string
  action: string
  target: string
  before: unknown
  after: unknown
  reason: string | null
}

/** What a target string names: `model:churn`, `version:churn/3`, `alias:churn@champion`, `request:7`, `deployment:web`, `policy:churn`. */
export interface TargetParts {
  model?: string
  version?: number
  alias?: string
  request?: number
  deployment?: string
}

export function parseTarget(target: string): TargetParts {
  const colon = target.indexOf(':')
  const kind = target.slice(0, colon)
  const rest = target.slice(colon + 1)
  switch (kind) {
    case 'model':
      return { model: rest }
    case 'version': {
      // model names may contain '/', version numbers never do
      const slash = rest.lastIndexOf('/')
      return { model: rest.slice(0, slash), version: Number(rest.slice(slash + 1)) }
    }
    case 'alias': {
      const at = rest.lastIndexOf('@')
      return { model: rest.slice(0, at), alias: rest.slice(at + 1) }
    }
    case 'request':
      return { request: Number(rest) }
    case 'deployment':
      return { deployment: rest }
    case 'policy':
      return rest === '*' ? {} : { model: rest }
    default:
      return {}
  }
}

/** Whether a subscription (its event list and optional model filter) wants this event of this model. */
export function subscribes(events: readonly string[], modelFilter: string | null, event: string, model: string | undefined): boolean {
  if (!events.includes('*') && !events.includes(event)) return false
  return modelFilter === null || modelFilter === model
}

/** Checks a native subscription's event names; unknown names are refused rather than silently never firing. */
export function checkEventNames(events: readonly string[]): string[] {
  const unknown = events.filter((e) => e !== '*' && !(WebhookEvents as readonly string[]).includes(e))
  if (unknown.length > 0) {
    throw new CanonError('INVALID_INPUT', `Unknown webhook event '${unknown[0]!.slice(0, 64)}'; use '*' or one of: ${WebhookEvents.join(', ')}.`, { events: unknown })
  }
  return [...new Set(events)]
}

export function checkWebhookUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new CanonError('INVALID_INPUT', `'${url.slice(0, 200)}' is not a URL; a webhook needs an http:// or https:// URL.`, { field: 'url' })
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CanonError('INVALID_INPUT', `A webhook URL must be http:// or https://; got ${parsed.protocol}//.`, { field: 'url' })
  }
  if (parsed.username || parsed.password) throw new CanonError('INVALID_INPUT', 'A webhook URL must not carry credentials; receivers verify the signature instead.', { field: 'url' })
  return parsed.toString()
}
