import { Cron } from 'croner'
import { CanonError } from './errors'

// Cron expressions (5 fields, or 6 with seconds first), read in an IANA time zone.

/** The first tick strictly after `after`, or null when the expression never fires again. */
export function nextTick(cron: string, timezone: string, after: number): number | null {
  const next = new Cron(cron, { timezone, paused: true }).nextRun(new Date(after))
  return next ? next.getTime() : null
}

/** Refuses an expression or time zone croner cannot read, with the reason. */
export function checkCron(cron: string, timezone: string, now: number): void {
  try {
    nextTick(cron, timezone, now)
  } catch (error) {
    const reason = (error as Error).message.split('. ')[0]
    throw new CanonError('INVALID_INPUT', `Cannot use cron '${cron.slice(0, 128)}' in time zone '${timezone.slice(0, 64)}': ${reason}.`, { field: /timezone/i.test(reason ?? '') ? 'timezone' : 'cron' })
  }
}
