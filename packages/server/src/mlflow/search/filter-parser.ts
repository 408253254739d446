import { describeField, resolveField, unquoteKey, type FieldTable } from './field-table'
import { parseComparisons, type RawComparison, type RawValue } from './filter-syntax'
import { invalidInput } from './invalid-input'
import { NUMERIC_COMPARATORS, STRING_COMPARATORS, type Comparator, type FilterClause } from './types'

/** What one field accepts. */
export interface FieldRule {
  value: 'string' | 'number'
  comparators: readonly Comparator[]
  /** MLflow's run_id rule: list values that are not lowercase (Python `str.islower`) are dropped. */
  dropNonLowercaseListValues?: boolean
  /** Accept a quoted integer such as '3' for a numeric field (MLflow compares it as written). */
  acceptsQuotedIntegers?: boolean
}

export const STRING_FIELD: FieldRule = { value: 'string', comparators: STRING_COMPARATORS }
export const NUMERIC_FIELD: FieldRule = { value: 'number', comparators: NUMERIC_COMPARATORS }

export type FilterSpec = FieldTable<FieldRule> & {
  /** Names the search in messages, e.g. "searching runs". */
  usage: string
}

const LIST_COMPARATORS: readonly string[] = ['IN', 'NOT IN']
const COMPARATOR_HINTS: Readonly<Record<string, string>> = { '==': " (use '=')", '<>': " (use '!=')" }

/** Parses an MLflow filter string into AND-ed clauses for the search `spec` describes. */
export function parseFilter(filter: string | undefined, spec: FilterSpec): FilterClause[] {
  if (!filter) return []
  return parseComparisons(filter).map((comparison) => toClause(comparison, spec))
}

function toClause(comparison: RawComparison, spec: FilterSpec): FilterClause {
  const { kind, key, rule } = resolveField(comparison.field, spec, spec.usage)
  const field = describeField(kind, key)
  const comparator = rule.comparators.find((allowed) => allowed === comparison.comparator)
  if (comparator === undefined) {
    const hint = COMPARATOR_HINTS[comparison.comparator] ?? ''
    throw invalidInput(
      `Invalid comparator '${comparison.comparator}' for ${field}${hint}. Allowed comparators: ${rule.comparators.join(', ')}`,
    )
  }
  return { kind, key, comparator, value: toValue(comparison.value, comparator, rule, field) }
}

function toValue(value: RawValue, comparator: Comparator, rule: FieldRule, field: string): FilterClause['value'] {
  if (LIST_COMPARATORS.includes(comparator)) {
    if (value.type !== 'list') {
      throw invalidInput(`${comparator} needs a parenthesised list of quoted strings, e.g. ${comparator} ('a', 'b'); got ${value.text} for ${field}`)
    }
    if (value.problem) throw invalidInput(`Invalid list ${value.text} for ${field}: ${value.problem}. Write a list as ('a', 'b').`)
    return rule.dropNonLowercaseListValues ? value.values.filter(isPythonLowercase) : value.values
  }
  if (value.type === 'list') {
    throw invalidInput(`Only IN and NOT IN compare with a list; got ${comparator} ${value.text} for ${field}`)
  }
  if (rule.value === 'number') return toNumber(value, rule, field)
  if (value.type === 'string') return value.value
  if (value.type === 'number') {
    throw invalidInput(`Expected a quoted string value for ${field} (e.g. 'my-value'); got ${value.text}`)
  }
  throw invalidInput(`The value ${value.text} for ${field} is not quoted. Put string values in single or double quotes, e.g. '${unquoteKey(value.text)}'`)
}

function toNumber(value: RawValue, rule: FieldRule, field: string): number {
  if (value.type === 'number') {
    if (!Number.isFinite(value.value)) throw invalidInput(`The value ${value.text} for ${field} is out of range`)
    return value.value
  }
  if (value.type === 'string' && rule.acceptsQuotedIntegers && /^-?\d+$/.test(value.value)) return Number(value.value)
  const why = value.type === 'string' ? ' (numbers are written without quotes)' : ''
  throw invalidInput(`Expected a numeric value for ${field}; got ${value.text}${why}`)
}

/** Python's `str.islower()`: has at least one cased character and no uppercase ones. */
function isPythonLowercase(text: string): boolean {
  return text === text.toLowerCase() && text !== text.toUpperCase()
}
