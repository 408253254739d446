import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { CreateScheduleInput, Schedule, ScheduleFire, UpdateScheduleInput } from '@canon/api'
import { Limits } from '@canon/api'
import { checkCron, nextTick } from '../domain/cron-schedule'
import { CanonError } from '../domain/errors'
import { canonEnvelope } from '../domain/webhook-payloads'
import { isUniqueViolation } from '../store/dialect-errors'
import type { MetadataStore, Repos } from '../store/metadata-store'
import type { ScheduleRow } from '../store/webhooks.table'
import type { Actor, ServiceDeps } from './context'
import { webhookNotFound } from './webhooks.service'

/** The event a schedule's fire delivers. */
export const SCHEDULE_FIRED = 'schedule.fired'

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString())
const scheduleNotFound = (name: string) => new CanonError('SCHEDULE_NOT_FOUND', `Schedule '${name.slice(0, 128)}' does not exist.`, { schedule: name.slice(0, 128) })

function toSchedule(row: ScheduleRow): Schedule {
  return {
    name: row.name,
    description: row.description,
    cron: row.cron,
    timezone: row.timezone,
    webhookId: row.webhook_id,
    payload: JSON.parse(row.payload) as unknown,
    status: row.status as Schedule['status'],
    nextFireAt: iso(row.next_fire_at),
    lastFiredAt: iso(row.last_fired_at),
    createdAt: iso(row.created_at)!,
    createdBy: row.created_by,
  }
}

async function scheduleRow(repos: Pick<Repos, 'schedules'>, name: string): Promise<ScheduleRow> {
  const row = await repos.schedules.byName(name)
  if (!row) throw scheduleNotFound(name)
  return row
}

/** A named cron schedule that POSTs a fixed payload to a webhook's URL, signed like every delivery. */
export async function createSchedule(deps: ServiceDeps, actor: Actor, input: CreateScheduleInput): Promise<Schedule> {
  const timezone = input.timezone ?? 'UTC'
  const at = deps.clock()
  checkCron(input.cron, timezone, at)
  const payload = JSON.stringify(input.payload ?? {})
  await deps.store
    .transaction(async (tx) => {
      if (!(await tx.webhooks.byId(input.webhookId))) throw webhookNotFound(input.webhookId)
      await tx.schedules.insert({
        name: input.name,
        description: input.description ?? '',
        cron: input.cron,
        timezone,
        webhook_id: input.webhookId,
        payload,
        status: 'active',
        next_fire_at: nextTick(input.cron, timezone, at),
        last_fired_at: null,
        created_at: at,
        created_by: actor.name,
        updated_at: at,
      })
      await tx.audit.append({ at, actor: actor.name, action: 'schedule.create', target: `schedule:${input.name}`, after: { cron: input.cron, timezone, webhookId: input.webhookId } })
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? new CanonError('SCHEDULE_EXISTS', `Schedule '${input.name}' already exists.`, { schedule: input.name }) : error
    })
  return getSchedule(deps, input.name)
}

export async function listSchedules(deps: Pick<ServiceDeps, 'store'>): Promise<Schedule[]> {
  // Bounded like every list.
  return (await deps.store.schedules.list(Limits.pageSize)).map(toSchedule)
}

export async function getSchedule(deps: Pick<ServiceDeps, 'store'>, name: string): Promise<Schedule> {
  return toSchedule(await scheduleRow(deps.store, name))
}

export async function updateSchedule(deps: ServiceDeps, actor: Actor, name: string, patch: UpdateScheduleInput): Promise<Schedule> {
  const at = deps.clock()
  // what was given is checked before looking the schedule up; the combination once more below
  if (patch.cron !== undefined || patch.timezone !== undefined) checkCron(patch.cron ?? '* * * * *', patch.timezone ?? 'UTC', at)
  await deps.store.transaction(async (tx) => {
    const row = await scheduleRow(tx, name)
    const cron = patch.cron ?? row.cron
    const timezone = patch.timezone ?? row.timezone
    checkCron(cron, timezone, at)
    const next = row.status === 'active' ? nextTick(cron, timezone, at) : null
    await tx.schedules.update(Number(row.id), {
      cron,
      timezone,
      ...(patch.payload !== undefined ? { payload: JSON.stringify(patch.payload) } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      next_fire_at: next,
      updated_at: at,
    })
    await tx.audit.append({ at, actor: actor.name, action: 'schedule.update', target: `schedule:${name}`, before: { cron: row.cron, timezone: row.timezone }, after: { cron, timezone } })
  })
  return getSchedule(deps, name)
}

/** Pause: no tick fires until resumed. Resume: the next tick after now (missed ticks are not made up). */
export async function setScheduleStatus(deps: ServiceDeps, actor: Actor, name: string, status: 'active' | 'paused'): Promise<Schedule> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const row = await scheduleRow(tx, name)
    if (row.status === status) return
    await tx.schedules.update(Number(row.id), { status, next_fire_at: status === 'active' ? nextTick(row.cron, row.timezone, at) : null, updated_at: at })
    await tx.audit.append({ at, actor: actor.name, action: status === 'active' ? 'schedule.resume' : 'schedule.pause', target: `schedule:${name}` })
  })
  return getSchedule(deps, name)
}

export async function deleteSchedule(deps: ServiceDeps, actor: Actor, name: string): Promise<void> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const row = await scheduleRow(tx, name)
    await tx.schedules.delete(Number(row.id))
    await tx.audit.append({ at, actor: actor.name, action: 'schedule.delete', target: `schedule:${name}`, before: { cron: row.cron, webhookId: row.webhook_id } })
  })
}

/** The fires of a schedule, newest first, with how each delivery went. */
export async function listFires(deps: Pick<ServiceDeps, 'store'>, name: string, limit = 50): Promise<ScheduleFire[]> {
  const row = await scheduleRow(deps.store, name)
  const fires = await deps.store.schedules.fires(Number(row.id), limit)
  return fires.map((f) => ({ scheduledFor: iso(f.tick_at)!, firedAt: iso(f.fired_at)!, deliveryId: f.delivery_id, deliveryStatus: f.delivery_status as ScheduleFire['deliveryStatus'] }))
}

/**
 * Fires every tick that is due: moves the schedule to its next tick with a compare-and-set (so of several instances
 * exactly one wins each tick), and in that same transaction records the fire and queues the delivery. A server that was
 * down fires a missed tick once, not once per missed tick.
 */
export async function fireDueSchedules(deps: { store: MetadataStore; clock: () => number; log: Logger }): Promise<number> {
  const now = deps.clock()
  let fired = 0
  for (const row of await deps.store.schedules.due(now, 100)) {
    const dueAt = Number(row.next_fire_at)
    const won = await deps.store.transaction(async (tx) => {
      let next: number | null
      try {
        next = nextTick(row.cron, row.timezone, Math.max(now, dueAt))
      } catch {
        next = null
      }
      if (!(await tx.schedules.claimTick(Number(row.id), dueAt, next, now))) return false
      const deliveryId = randomUUID()
      const data = { schedule: row.name, scheduledFor: new Date(dueAt).toISOString(), payload: JSON.parse(row.payload) as unknown }
      await tx.webhooks.enqueue([{ id: deliveryId, webhookId: row.webhook_id, event: SCHEDULE_FIRED, body: canonEnvelope(deliveryId, SCHEDULE_FIRED, dueAt, data), at: now }])
      await tx.schedules.insertFire(Number(row.id), dueAt, now, deliveryId)
      return true
    })
    if (won) {
      fired++
      deps.log.info({ schedule: row.name, tick: new Date(dueAt).toISOString() }, 'schedule fired')
    }
  }
  return fired
}
