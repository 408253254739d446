import type { CreateScheduleInput, CreateWebhookInput, Schedule, ScheduleFire, UpdateScheduleInput, UpdateWebhookInput, Webhook, WebhookDelivery } from '@canon/api'
import type { Transport } from './transport'

// ids and names are one path segment each
const segment = encodeURIComponent

const webhook = (id: string) => `/api/v1/webhooks/${segment(id)}`
const schedule = (name: string) => `/api/v1/schedules/${segment(name)}`

/** Admins: signed webhooks on registry events, with every delivery and attempt recorded. */
export class WebhooksApi {
  constructor(private readonly http: Transport) {}

  /** Subscribes a URL; the answer's `secret` (generated unless given) is shown only here. */
  create(input: CreateWebhookInput): Promise<Webhook> {
    return this.http.json('POST', '/api/v1/webhooks', { json: input })
  }

  async list(): Promise<Webhook[]> {
    return (await this.http.json<{ items: Webhook[] }>('GET', '/api/v1/webhooks')).items
  }

  get(id: string): Promise<Webhook> {
    return this.http.json('GET', webhook(id))
  }

  /** Changes a webhook; `status: 'paused'` stops new events, `rotateSecret: true` answers with a new secret. */
  update(id: string, patch: UpdateWebhookInput): Promise<Webhook> {
    return this.http.json('PATCH', webhook(id), { json: patch })
  }

  async delete(id: string): Promise<void> {
    await this.http.send('DELETE', webhook(id))
  }

  /** Deliveries, newest first, each with its attempts (status code, error, duration, the answer's first bytes). */
  async deliveries(id: string, query: { status?: WebhookDelivery['status']; limit?: number } = {}): Promise<WebhookDelivery[]> {
    return (await this.http.json<{ items: WebhookDelivery[] }>('GET', `${webhook(id)}/deliveries`, { query })).items
  }

  /** Sends a delivery that succeeded or failed again, with its id and body, as the next attempt. */
  redeliver(id: string, deliveryId: string): Promise<WebhookDelivery> {
    return this.http.json('POST', `${webhook(id)}/deliveries/${segment(deliveryId)}/redeliver`)
  }

  /** Sends a signed 'webhook.test' event now, once, and answers with the recorded delivery. */
  test(id: string): Promise<WebhookDelivery> {
    return this.http.json('POST', `${webhook(id)}/test`)
  }
}

/** Admins: named cron schedules that fire a webhook with a fixed payload. */
export class SchedulesApi {
  constructor(private readonly http: Transport) {}

  create(input: CreateScheduleInput): Promise<Schedule> {
    return this.http.json('POST', '/api/v1/schedules', { json: input })
  }

  async list(): Promise<Schedule[]> {
    return (await this.http.json<{ items: Schedule[] }>('GET', '/api/v1/schedules')).items
  }

  get(name: string): Promise<Schedule> {
    return this.http.json('GET', schedule(name))
  }

  update(name: string, patch: UpdateScheduleInput): Promise<Schedule> {
    return this.http.json('PATCH', schedule(name), { json: patch })
  }

  async delete(name: string): Promise<void> {
    await this.http.send('DELETE', schedule(name))
  }

  pause(name: string): Promise<Schedule> {
    return this.http.json('POST', `${schedule(name)}/pause`)
  }

  /** Resumes from the next tick after now; missed ticks are not made up. */
  resume(name: string): Promise<Schedule> {
    return this.http.json('POST', `${schedule(name)}/resume`)
  }

  /** Fires, newest first, with how each delivery went. */
  async fires(name: string, limit?: number): Promise<ScheduleFire[]> {
    return (await this.http.json<{ items: ScheduleFire[] }>('GET', `${schedule(name)}/fires`, { query: { limit } })).items
  }
}
