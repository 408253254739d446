import { CanonError } from '../domain/errors'

// Cursors are opaque to clients: base64url JSON naming the last row seen and the ordering it belongs to.

export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

export function decodeCursor<T>(cursor: string, isValid: (value: unknown) => value is T): T {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    value = undefined
  }
  if (!isValid(value)) {
    throw new CanonError('INVALID_CURSOR', 'The cursor is not one this server issued for this query; start again without a cursor.')
  }
  return value
}

export function parseTagFilters(tag: string | string[] | undefined): { key: string; value?: string }[] {
  const list = tag === undefined ? [] : Array.isArray(tag) ? tag : [tag]
  return list.map((t) => {
    const eq = t.indexOf('=')
    const filter = eq < 0 ? { key: t } : { key: t.slice(0, eq), value: t.slice(eq + 1) }
    if (!filter.key) throw new CanonError('INVALID_INPUT', `Tag filter '${t.slice(0, 100)}' needs a key: use 'key' or 'key=value'.`)
    return filter
  })
}

export function parseTimestamp(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw new CanonError('INVALID_INPUT', `${field} must be an ISO 8601 timestamp, e.g. 2026-01-31T12:00:00Z.`, { field })
  return ms
}
