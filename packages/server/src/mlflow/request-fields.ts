import type { FastifyRequest } from 'fastify'
import { CanonError } from '../domain/errors'

const docsHint = 'See the API docs for more information about request parameters.'

/**
 * Reads MLflow request fields: from the query string for GET (repeated fields as repeated parameters), from the JSON
 * body for every other method. Unknown fields are ignored, as MLflow ignores them.
 */
export class MlflowFields {
  private readonly source: Record<string, unknown>

  constructor(request: FastifyRequest) {
    let body: unknown = request.method === 'GET' || request.method === 'HEAD' ? request.query : request.body
    if (typeof body === 'string') body = parseJsonString(body)
    this.source = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
    this.isQuery = request.method === 'GET' || request.method === 'HEAD'
  }

  private readonly isQuery: boolean

  private raw(name: string): unknown {
    const value = this.source[name]
    return this.isQuery && Array.isArray(value) ? value[0] : value
  }

  /** MLflow treats "" like a missing value for required fields. */
  requiredString(name: string, fallback?: string): string {
    const value = this.optionalString(name) ?? (fallback ? this.optionalString(fallback) : undefined)
    if (value === undefined || value === '') throw new CanonError('INVALID_INPUT', `Missing value for required parameter '${name}'. ${docsHint}`, { field: name })
    return value
  }

  optionalString(name: string): string | undefined {
    const value = this.raw(name)
    if (value === undefined || value === null) return undefined
    if (typeof value === 'number' || typeof value === 'boolean') return String(value)
    if (typeof value !== 'string') throw invalid(name, value)
    return value
  }

  optionalInteger(name: string): number | undefined {
    const value = this.raw(name)
    if (value === undefined || value === null || value === '') return undefined
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN
    if (!Number.isSafeInteger(n)) throw invalid(name, value)
    return n
  }

  requiredInteger(name: string): number {
    const value = this.optionalInteger(name)
    if (value === undefined) throw new CanonError('INVALID_INPUT', `Missing value for required parameter '${name}'. ${docsHint}`, { field: name })
    return value
  }

  optionalNumber(name: string): number | undefined {
    const value = this.raw(name)
    if (value === undefined || value === null) return undefined
    return toDouble(name, value)
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.raw(name)
    if (value === undefined || value === null) return undefined
    if (typeof value === 'boolean') return value
    if (value === 'true' || value === 'True') return true
    if (value === 'false' || value === 'False') return false
    throw invalid(name, value)
  }

  stringList(name: string): string[] {
    const value = this.source[name]
    if (value === undefined || value === null) return []
    const list = Array.isArray(value) ? value : [value]
    return list.map((item) => {
      if (typeof item !== 'string' && typeof item !== 'number') throw invalid(name, value)
      return String(item)
    })
  }

  keyValues(name: string): { key: string; value: string }[] {
    const value = this.source[name]
    if (value === undefined || value === null) return []
    if (!Array.isArray(value)) throw invalid(name, value)
    return value.map((item) => {
      const entry = item as { key?: unknown; value?: unknown }
      if (!entry || typeof entry !== 'object' || typeof entry.key !== 'string' || entry.key === '') throw invalid(name, value)
      if (entry.value !== undefined && entry.value !== null && typeof entry.value !== 'string' && typeof entry.value !== 'number') throw invalid(name, value)
      return { key: entry.key, value: entry.value === undefined || entry.value === null ? '' : String(entry.value) }
    })
  }

  objectList(name: string): Record<string, unknown>[] {
    const value = this.source[name]
    if (value === undefined || value === null) return []
    if (!Array.isArray(value) || value.some((v) => !v || typeof v !== 'object' || Array.isArray(v))) throw invalid(name, value)
    return value as Record<string, unknown>[]
  }
}

/** JSON numbers, numeric strings and MLflow's "NaN" / "Infinity" spellings. */
export function toDouble(name: string, value: unknown): number {
  if (typeof value === 'number') return value
  if (typeof value === 'string') {
    if (value === 'NaN') return NaN
    if (value === 'Infinity') return Infinity
    if (value === '-Infinity') return -Infinity
    const n = Number(value)
    if (value.trim() !== '' && !Number.isNaN(n)) return n
  }
  throw invalid(name, value)
}

function invalid(name: string, value: unknown): CanonError {
  const shown = JSON.stringify(value)?.slice(0, 100)
  return new CanonError('INVALID_INPUT', `Invalid value ${shown} for parameter '${name}' supplied. ${docsHint}`, { field: name })
}

function parseJsonString(body: string): unknown {
  try {
    return JSON.parse(body)
  } catch {
    return {}
  }
}

/** Model version numbers travel as strings. */
export function parseVersionNumber(value: string): number {
  if (!/^\d{1,9}$/.test(value.trim()) || Number(value) < 1) throw new CanonError('INVALID_INPUT', `Model version must be an integer, got '${value.slice(0, 50)}'`)
  return Number(value)
}
