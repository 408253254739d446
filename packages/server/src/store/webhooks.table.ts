import type { Generated, Selectable } from 'kysely'

// Row types of the webhook and schedule tables (migrations 009 and 010); timestamps are epoch milliseconds.

export interface WebhookTable {
  id: string
  name: string
  description: string
  url: string
  /** JSON array of event names */
  events: string
  /** only events of this model, or every model */
  model: string | null
  /** the HMAC key; never returned after creation ('' for an unsigned MLflow webhook) */
  secret: string
  /** active | paused */
  status: string
  /** canon | mlflow: which envelope and headers */
  format: string
  created_at: number
  created_by: string
  updated_at: number
}

export interface WebhookDeliveryTable {
  id: string
  webhook_id: string
  event: string
  /** the exact JSON body sent and signed */
  body: string
  /** pending | sending | succeeded | failed */
  status: string
  attempts: number
  next_attempt_at: number
  /** while 'sending': when another instance may take the delivery over (the sender died) */
  lease_until: number | null
  created_at: number
  updated_at: number
}

export interface WebhookAttemptTable {
  id: Generated<number>
  delivery_id: string
  attempt: number
  started_at: number
  duration_ms: number
  status_code: number | null
  error: string | null
  response_snippet: string | null
  /** succeeded | retrying | failed */
  outcome: string
}

export interface ScheduleTable {
  id: Generated<number>
  name: string
  description: string
  cron: string
  timezone: string
  webhook_id: string
  /** JSON object */
  payload: string
  /** active | paused */
  status: string
  /** the next tick; null while paused */
  next_fire_at: number | null
  last_fired_at: number | null
  created_at: number
  created_by: string
  updated_at: number
}

export interface ScheduleFireTable {
  id: Generated<number>
  schedule_id: number
  tick_at: number
  fired_at: number
  delivery_id: string
}

export type WebhookRow = Selectable<WebhookTable>
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>
export type WebhookAttemptRow = Selectable<WebhookAttemptTable>
export type ScheduleRow = Selectable<ScheduleTable>
