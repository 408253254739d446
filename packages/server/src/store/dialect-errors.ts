// Vendor errors are recognised here, at the adapter boundary, and nowhere else.

/** A unique constraint refused the write (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; errcode?: unknown; message?: unknown }
  if (e?.code === '23505') return true
  return e?.errcode === 2067 || e?.errcode === 1555
}

const PG_UNAVAILABLE_CLASSES = ['08', '53', '57'] // connection exception, insufficient resources, operator intervention
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'])

/** The database cannot be reached or is restarting: the request may succeed later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; errcode?: unknown }
  if (typeof e?.code === 'string') {
    if (NET_CODES.has(e.code)) return true
    if (/^[0-9A-Z]{5}$/.test(e.code) && PG_UNAVAILABLE_CLASSES.includes(e.code.slice(0, 2))) return true
  }
  if (isDatabaseBusy(error)) return true
  const message = typeof e?.message === 'string' ? e.message : ''
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message)
}

/** SQLite stayed locked by another writer past busy_timeout (SQLITE_BUSY, SQLITE_LOCKED and their extended codes). */
export function isDatabaseBusy(error: unknown): boolean {
  const errcode = (error as { errcode?: unknown })?.errcode
  return typeof errcode === 'number' && ((errcode & 0xff) === 5 || (errcode & 0xff) === 6)
}
