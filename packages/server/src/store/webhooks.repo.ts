import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database } from './database'
import { runPrepared } from './prepared'
import type { DialectTraits } from './dialect-traits'
import type { WebhookAttemptRow, WebhookAttemptTable, WebhookDeliveryRow, WebhookRow, WebhookTable } from './webhooks.table'

/** A delivery claimed for one attempt, with what sending it needs. */
export interface ClaimedDelivery {
  id: string
  event: string
  body: string
  attempt: number
  url: string
  secret: string
  format: string
}

export interface NewDelivery {
  id: string
  webhookId: string
  event: string
  body: string
  at: number
}

/** Webhook subscriptions, their outbox of deliveries, and the attempts made. */
export class WebhooksRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly traits: DialectTraits,
  ) {}

  async insert(row: Insertable<WebhookTable>): Promise<void> {
    await this.db.insertInto('webhooks').values(row).execute()
  }

  async byId(id: string): Promise<WebhookRow | undefined> {
    return this.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst()
  }

  /** The first `limit` webhooks, oldest first. */
  async list(format: string | undefined, limit: number): Promise<WebhookRow[]> {
    let query = this.db.selectFrom('webhooks').selectAll()
    if (format) query = query.where('format', '=', format)
    return query.orderBy('created_at').orderBy('id').limit(limit).execute()
  }

  /** Runs with every audited change, so it is compiled once. */
  async active(): Promise<WebhookRow[]> {
    return runPrepared(this.db, this.traits, 'webhooks.active', ['active'], () => this.db.selectFrom('webhooks').selectAll().where('status', '=', 'active'))
  }

  async update(id: string, patch: Updateable<WebhookTable>): Promise<void> {
    await this.db.updateTable('webhooks').set(patch).where('id', '=', id).execute()
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  /** Outbox rows; written in the transaction of the change they announce. */
  async enqueue(deliveries: NewDelivery[], status: 'pending' | 'sending' = 'pending', leaseUntil: number | null = null): Promise<void> {
    if (deliveries.length === 0) return
    await this.db
      .insertInto('webhook_deliveries')
      .values(
        deliveries.map((d) => ({
          id: d.id,
          webhook_id: d.webhookId,
          event: d.event,
          body: d.body,
          status,
          attempts: status === 'sending' ? 1 : 0,
          next_attempt_at: d.at,
          lease_until: leaseUntil,
          created_at: d.at,
          updated_at: d.at,
        })),
      )
      .execute()
  }

  /**
   * Takes up to `limit` due deliveries for one attempt each: pending ones whose time has come, and ones whose sender's lease
   * ran out (it died mid-attempt). On PostgreSQL rows another instance is claiming are skipped, not waited for, so each
   * attempt is made by exactly one instance. Must run in a transaction.
   */
  async claimDue(now: number, limit: number, leaseUntil: number): Promise<ClaimedDelivery[]> {
    let due = this.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where(({ or, and, eb }) =>
        or([and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]), and([eb('status', '=', 'sending'), eb('lease_until', '<=', now)])]),
      )
      .orderBy('next_attempt_at')
      .limit(limit)
    if (this.traits.skipLocked) due = due.forUpdate().skipLocked()
    const ids = (await due.execute()).map((r) => r.id)
    if (ids.length === 0) return []
    await this.db
      .updateTable('webhook_deliveries')
      .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), lease_until: leaseUntil, updated_at: now }))
      .where('id', 'in', ids)
      .execute()
    const rows = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .select(['d.id', 'd.event', 'd.body', 'd.attempts', 'w.url', 'w.secret', 'w.format'])
      .where('d.id', 'in', ids)
      .execute()
    return rows.map((r) => ({ id: r.id, event: r.event, body: r.body, attempt: Number(r.attempts), url: r.url, secret: r.secret, format: r.format }))
  }

  async recordAttempt(row: Insertable<WebhookAttemptTable>): Promise<void> {
    await this.db.insertInto('webhook_attempts').values(row).execute()
  }

  /** After an attempt: done (succeeded or failed for good), or pending again at `nextAttemptAt`. */
  async settle(id: string, attempt: number, status: 'succeeded' | 'failed' | 'pending', nextAttemptAt: number, at: number): Promise<void> {
    // Only the claimant of this attempt settles it: a sender whose lease was taken over changes nothing.
    await this.db
      .updateTable('webhook_deliveries')
      .set({ status, next_attempt_at: nextAttemptAt, lease_until: null, updated_at: at })
      .where('id', '=', id)
      .where('attempts', '=', attempt)
      .where('status', '=', 'sending')
      .execute()
  }

  /** Queues a finished delivery again, due now; false when it is not finished (pending or being sent). */
  async requeue(id: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', next_attempt_at: at, lease_until: null, updated_at: at })
      .where('id', '=', id)
      .where('status', 'in', ['succeeded', 'failed'])
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  /** Forgets finished deliveries (and their attempts) last touched before `before`. */
  async prune(before: number): Promise<number> {
    const result = await this.db.deleteFrom('webhook_deliveries').where('status', 'in', ['succeeded', 'failed']).where('updated_at', '<', before).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  async delivery(id: string): Promise<WebhookDeliveryRow | undefined> {
    return this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async deliveries(webhookId: string, options: { status?: string; limit: number }): Promise<WebhookDeliveryRow[]> {
    let query = this.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId)
    if (options.status) query = query.where('status', '=', options.status)
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute()
  }

  async deliveriesByIds(ids: string[]): Promise<WebhookDeliveryRow[]> {
    if (ids.length === 0) return []
    return this.db.selectFrom('webhook_deliveries').selectAll().where('id', 'in', ids).execute()
  }

  async attempts(deliveryIds: string[]): Promise<WebhookAttemptRow[]> {
    if (deliveryIds.length === 0) return []
    return this.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('delivery_id').orderBy('attempt').execute()
  }
}
