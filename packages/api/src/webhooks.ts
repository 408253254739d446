import { Type, type Static } from 'typebox'
import { Limits } from './limits'

// Webhooks (signed, retried HTTP calls on registry events) and cron schedules that fire them.

/** Every event a native webhook may subscribe to; '*' subscribes to all of them. */
export const WebhookEvents = [
  'model.created',
  'model.updated',
  'model.deleted',
  'model.tag_set',
  'model.tag_deleted',
  'model.rolled_back',
  'version.created',
  'version.updated',
  'version.deleted',
  'version.stage_changed',
  'version.approval_decided',
  'version.tag_set',
  'version.tag_deleted',
  'alias.moved',
  'alias.deleted',
  'card.updated',
  'policy.changed',
  'request.opened',
  'request.reviewed',
  'request.applied',
  'request.rejected',
  'request.cancelled',
  'deployment.changed',
] as const
export type WebhookEvent = (typeof WebhookEvents)[number]

const EventName = Type.String({ minLength: 1, maxLength: 64, description: "an event name such as 'version.created', or '*' for every event" })
const Url = Type.String({ minLength: 8, maxLength: 2048, description: 'http:// or https:// URL the events are POSTed to' })
const Secret = Type.String({ minLength: 16, maxLength: 256, description: 'HMAC-SHA256 key; generated when left out and shown only in this response' })
const ModelFilter = Type.String({ minLength: 1, maxLength: Limits.modelName, description: "only events of this registered model" })

export const WebhookSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  model: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('paused')]),
  /** 'canon': Canon's envelope and X-Canon-* headers; 'mlflow': MLflow's payload and X-MLflow-* headers */
  format: Type.Union([Type.Literal('canon'), Type.Literal('mlflow')]),
  createdAt: Type.String(),
  createdBy: Type.String(),
  updatedAt: Type.String(),
  /** only in the answer to a create or a secret rotation */
  secret: Type.Optional(Type.String()),
})
export type Webhook = Static<typeof WebhookSchema>

export const CreateWebhookBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 256 }),
    url: Url,
    events: Type.Array(EventName, { minItems: 1, maxItems: 64 }),
    model: Type.Optional(ModelFilter),
    description: Type.Optional(Type.String({ maxLength: Limits.description })),
    secret: Type.Optional(Secret),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('paused')])),
  },
  { additionalProperties: false },
)
export type CreateWebhookInput = Static<typeof CreateWebhookBody>

export const UpdateWebhookBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    url: Type.Optional(Url),
    events: Type.Optional(Type.Array(EventName, { minItems: 1, maxItems: 64 })),
    model: Type.Optional(Type.Union([ModelFilter, Type.Null()])),
    description: Type.Optional(Type.String({ maxLength: Limits.description })),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('paused')])),
    rotateSecret: Type.Optional(Type.Boolean({ description: 'generate a new secret; the answer shows it once' })),
  },
  { additionalProperties: false },
)
export type UpdateWebhookInput = Static<typeof UpdateWebhookBody>

export const WebhookAttemptSchema = Type.Object({
  attempt: Type.Integer(),
  at: Type.String(),
  durationMs: Type.Integer(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  /** the first bytes of the receiver's answer */
  response: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.Literal('succeeded'), Type.Literal('retrying'), Type.Literal('failed')]),
})
export type WebhookAttempt = Static<typeof WebhookAttemptSchema>

export const DeliveryStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('sending'), Type.Literal('succeeded'), Type.Literal('failed')])

export const WebhookDeliverySchema = Type.Object({
  id: Type.String(),
  webhookId: Type.String(),
  event: Type.String(),
  status: DeliveryStatusSchema,
  attempts: Type.Integer(),
  createdAt: Type.String(),
  nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
  /** the exact body sent (and signed) */
  payload: Type.Unknown(),
  attemptLog: Type.Array(WebhookAttemptSchema),
})
export type WebhookDelivery = Static<typeof WebhookDeliverySchema>

export const ListDeliveriesQuery = Type.Object(
  {
    status: Type.Optional(DeliveryStatusSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
)

export const ScheduleSchema = Type.Object({
  name: Type.String(),
  description: Type.String(),
  cron: Type.String(),
  timezone: Type.String(),
  webhookId: Type.String(),
  payload: Type.Unknown(),
  status: Type.Union([Type.Literal('active'), Type.Literal('paused')]),
  nextFireAt: Type.Union([Type.String(), Type.Null()]),
  lastFiredAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  createdBy: Type.String(),
})
export type Schedule = Static<typeof ScheduleSchema>

const Cron = Type.String({ minLength: 1, maxLength: 128, description: "a cron expression: 5 fields, or 6 with seconds first ('0 3 * * *': 03:00 daily)" })
const Timezone = Type.String({ minLength: 1, maxLength: 64, description: "IANA time zone the expression is read in (default 'UTC')" })

export const CreateScheduleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' }),
    cron: Cron,
    webhookId: Type.String({ minLength: 1, maxLength: 64 }),
    payload: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'the fixed JSON object each fire sends' })),
    timezone: Type.Optional(Timezone),
    description: Type.Optional(Type.String({ maxLength: Limits.description })),
  },
  { additionalProperties: false },
)
export type CreateScheduleInput = Static<typeof CreateScheduleBody>

export const UpdateScheduleBody = Type.Object(
  {
    cron: Type.Optional(Cron),
    payload: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    timezone: Type.Optional(Timezone),
    description: Type.Optional(Type.String({ maxLength: Limits.description })),
  },
  { additionalProperties: false },
)
export type UpdateScheduleInput = Static<typeof UpdateScheduleBody>

export const ScheduleFireSchema = Type.Object({
  /** the tick the cron expression named */
  scheduledFor: Type.String(),
  firedAt: Type.String(),
  deliveryId: Type.String(),
  /** null once the delivery's record has passed its retention */
  deliveryStatus: Type.Union([DeliveryStatusSchema, Type.Null()]),
})
export type ScheduleFire = Static<typeof ScheduleFireSchema>
