import { FilterFields, Stages } from '@canon/api'
import type { FilterField, Operator, Value } from './ast'

/** What a field accepts: its operators and how a literal becomes its value (or why it cannot). */
export interface FieldRule {
  operators: readonly Operator[]
  /** the value to bind, or a sentence saying what was expected instead */
  value(literal: { type: 'string' | 'number'; text: string; value: string }): Value | { problem: string }
}

const COMPARISONS = ['=', '!=', '<', '<=', '>', '>='] as const
const PATTERNS = ['LIKE', 'ILIKE', 'NOT LIKE', 'NOT ILIKE'] as const
const LISTS = ['IN', 'NOT IN'] as const
const PRESENCE = ['IS NULL', 'IS NOT NULL'] as const

const number = (what: string): FieldRule['value'] => (literal) => {
  if (literal.type !== 'number') return { problem: `${what} are numbers: expected a number, not the string ${literal.text}` }
  const value = Number(literal.text)
  return Number.isFinite(value) ? value : { problem: `${literal.text} is out of range for a number` }
}

const text = (what: string): FieldRule['value'] => (literal) =>
  literal.type === 'string' ? literal.value : { problem: `${what} text: quote the value, e.g. '${literal.text}'` }

const oneOf = (what: string, allowed: readonly string[]): FieldRule['value'] => (literal) =>
  literal.type === 'string' && allowed.includes(literal.value) ? literal.value : { problem: `${what} is one of ${allowed.map((a) => `'${a}'`).join(', ')}` }

/** ISO 8601 date/time in quotes, or epoch milliseconds. */
const timestamp: FieldRule['value'] = (literal) => {
  const ms = literal.type === 'number' ? Number(literal.text) : Date.parse(literal.value)
  return Number.isSafeInteger(ms) ? ms : { problem: `created takes an ISO 8601 date such as '2026-01-31' or '2026-01-31T12:00:00Z', or epoch milliseconds` }
}

const keyed: Record<'metric' | 'param' | 'tag', FieldRule> = {
  metric: { operators: [...COMPARISONS, ...LISTS, ...PRESENCE], value: number('metrics') },
  param: { operators: [...COMPARISONS, ...PATTERNS, ...LISTS, ...PRESENCE], value: text('params are') },
  tag: { operators: [...COMPARISONS, ...PATTERNS, ...LISTS, ...PRESENCE], value: text('tags are') },
}

const plain: Record<string, { field: FilterField; rule: FieldRule }> = {
  stage: { field: { kind: 'stage' }, rule: { operators: ['=', '!=', ...LISTS], value: oneOf('stage', Stages) } },
  approval: { field: { kind: 'approval' }, rule: { operators: ['=', '!=', ...LISTS], value: oneOf('approval', ['pending', 'approved', 'rejected']) } },
  alias: { field: { kind: 'alias' }, rule: { operators: ['=', '!=', ...PATTERNS, ...LISTS, ...PRESENCE], value: text('aliases are') } },
  model: { field: { kind: 'model' }, rule: { operators: [...COMPARISONS, ...PATTERNS, ...LISTS], value: text('model names are') } },
  created: { field: { kind: 'created' }, rule: { operators: COMPARISONS, value: timestamp } },
  run_id: { field: { kind: 'run_id' }, rule: { operators: ['=', '!=', ...PATTERNS, ...LISTS, ...PRESENCE], value: text('run ids are') } },
}
plain.name = plain.model!

// Like an alias, datasets are a set per version: a condition asks whether any dataset the version consumed matches.
const datasetRule: FieldRule = { operators: ['=', '!=', ...PATTERNS, ...LISTS, ...PRESENCE], value: text('datasets are named by') }
const DATASET_ATTRIBUTES = ['uri', 'name', 'digest', 'role'] as const

const PREFIXES: Record<string, 'metric' | 'param' | 'tag'> = { metrics: 'metric', metric: 'metric', params: 'param', param: 'param', tags: 'tag', tag: 'tag' }

export const FIELD_NAMES: string[] = [...FilterFields]

/** The field a name denotes (`metrics.auc`, `stage`…), or undefined when the language has no such field. */
export function resolveField(name: string, key: string | undefined): { field: FilterField; rule: FieldRule } | undefined {
  const lower = name.toLowerCase()
  if (lower === 'dataset' || lower === 'datasets') {
    const attribute = key === undefined ? 'uri' : DATASET_ATTRIBUTES.find((a) => a === key.toLowerCase())
    return attribute ? { field: { kind: 'dataset', attribute }, rule: datasetRule } : undefined
  }
  if (key !== undefined) {
    const kind = PREFIXES[name.toLowerCase()]
    return kind ? { field: { kind, key }, rule: keyed[kind] } : undefined
  }
  return Object.hasOwn(plain, name.toLowerCase()) ? plain[name.toLowerCase()] : undefined
}
