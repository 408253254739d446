import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database } from './database'
import type { ScheduleRow, ScheduleTable } from './webhooks.table'

export interface ScheduleFireRow {
  tick_at: number
  fired_at: number
  delivery_id: string
  delivery_status: string | null
}

/** Cron schedules and the history of their fires. */
export class SchedulesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: Insertable<ScheduleTable>): Promise<void> {
    await this.db.insertInto('schedules').values(row).execute()
  }

  async byName(name: string): Promise<ScheduleRow | undefined> {
    return this.db.selectFrom('schedules').selectAll().where('name', '=', name).executeTakeFirst()
  }

  /** The first `limit` schedules by name. */
  async list(limit: number): Promise<ScheduleRow[]> {
    return this.db.selectFrom('schedules').selectAll().orderBy('name').limit(limit).execute()
  }

  async countForWebhook(webhookId: string): Promise<number> {
    const row = await this.db.selectFrom('schedules').select((eb) => eb.fn.countAll<number>().as('n')).where('webhook_id', '=', webhookId).executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async update(id: number, patch: Updateable<ScheduleTable>): Promise<void> {
    await this.db.updateTable('schedules').set(patch).where('id', '=', id).execute()
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('schedules').where('id', '=', id).execute()
  }

  async due(now: number, limit: number): Promise<ScheduleRow[]> {
    return this.db.selectFrom('schedules').selectAll().where('status', '=', 'active').where('next_fire_at', '<=', now).orderBy('next_fire_at').limit(limit).execute()
  }

  /**
   * Moves the schedule past the tick it was due at, only if no one else has: the compare-and-set on next_fire_at is what
   * makes a tick fire once across instances. True when this caller won the tick.
   */
  async claimTick(id: number, dueAt: number, nextFireAt: number | null, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('schedules')
      .set({ next_fire_at: nextFireAt, last_fired_at: at, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .where('next_fire_at', '=', dueAt)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  async insertFire(scheduleId: number, tickAt: number, firedAt: number, deliveryId: string): Promise<void> {
    await this.db.insertInto('schedule_fires').values({ schedule_id: scheduleId, tick_at: tickAt, fired_at: firedAt, delivery_id: deliveryId }).execute()
  }

  async fires(scheduleId: number, limit: number): Promise<ScheduleFireRow[]> {
    return this.db
      .selectFrom('schedule_fires as f')
      .leftJoin('webhook_deliveries as d', 'd.id', 'f.delivery_id')
      .select(['f.tick_at', 'f.fired_at', 'f.delivery_id', 'd.status as delivery_status'])
      .where('f.schedule_id', '=', scheduleId)
      .orderBy('f.tick_at', 'desc')
      .limit(limit)
      .execute()
  }
}
