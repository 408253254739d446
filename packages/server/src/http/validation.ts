import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyRequest } from 'fastify'
import { CanonError } from '../domain/errors'
import { codeOfField } from './field-codes'

const options = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false } as const

// JSON bodies are typed: 123 is not a name. Query strings and paths arrive as text and are coerced ('5' → 5, one value → [value]).
const bodyAjv = addFormats.default(new Ajv({ ...options, coerceTypes: false }))
const textAjv = addFormats.default(new Ajv({ ...options, coerceTypes: 'array' }))

export function compileValidator({ schema, httpPart }: { schema: object; httpPart?: string }) {
  return (httpPart === 'body' ? bodyAjv : textAjv).compile(schema)
}

/** PostgreSQL cannot store NUL in text, and no name, tag or path needs one: refuse it everywhere, the same on every backend. */
export async function refuseNulCharacters(request: FastifyRequest): Promise<void> {
  const where =
    findNul(request.params, 'params') ?? findNul(request.query, 'querystring') ?? (request.body && typeof request.body === 'object' ? findNul(request.body, 'body') : null)
  if (!where) return
  throw new CanonError(codeOfField(where) ?? 'INVALID_INPUT', `${where} contains a NUL character, which Canon does not accept.`, { field: where })
}

function findNul(value: unknown, at: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\0') ? at : null
  if (!value || typeof value !== 'object' || depth > 8) return null
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\0')) return `${at}.${key.replace(/\0/g, '\\0')}`
    const found = findNul(inner, `${at}.${key}`, depth + 1)
    if (found) return found
  }
  return null
}
