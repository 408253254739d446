import { echo, invalidInput } from './invalid-input'
import type { ClauseKind } from './types'

/** A field with a fixed name (an attribute or a dataset field); `key` is the canonical name it stands for. */
export type FixedField<R> = R & { key: string }

/**
 * Which fields one search accepts, read the way MLflow reads `<prefix>.<key>`: the text is split at its
 * first dot; no dot means an attribute. `R` is what the caller needs per field (comparators, value type…).
 */
export interface FieldTable<R> {
  /** Entity prefix → kind, e.g. `tags` → tag. Case-sensitive, as in MLflow. */
  prefixes: Readonly<Record<string, ClauseKind>>
  /** Whether a prefix may be backticked (`` `metrics`.x ``); only run searches allow it. */
  backtickedPrefixes: boolean
  /** Whether attribute keys may be quoted (`` `name` ``, `"name"`); the registry's filters want them bare. */
  quotedAttributeKeys: boolean
  /** Kinds whose keys are a closed set: names and aliases → canonical field. */
  fixed: Partial<Record<ClauseKind, Readonly<Record<string, FixedField<R>>>>>
  /** Kinds that take any key, e.g. tag → its rule. */
  open: Partial<Record<ClauseKind, R>>
}

export interface ResolvedField<R> {
  kind: ClauseKind
  key: string
  rule: R
}

const KIND_LABEL: Record<ClauseKind, string> = {
  attribute: 'attribute',
  tag: 'tag',
  metric: 'metric',
  param: 'param',
  dataset: 'dataset',
}

export function describeField(kind: ClauseKind, key: string): string {
  return `${KIND_LABEL[kind]} '${key}'`
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}

function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

function isWrappedIn(text: string, quote: string): boolean {
  return text.length >= 2 && text.startsWith(quote) && text.endsWith(quote)
}

/** MLflow's key unquoting: strip one pair of '…' or "…", then one pair of `…`; no unescaping. */
export function unquoteKey(text: string): string {
  const unquoted = isWrappedIn(text, "'") || isWrappedIn(text, '"') ? text.slice(1, -1) : text
  return isWrappedIn(unquoted, '`') ? unquoted.slice(1, -1) : unquoted
}

/** Resolves a raw field name (e.g. "tags.`my key`", "attributes.start_time", "created") against `table`. */
export function resolveField<R>(raw: string, table: FieldTable<R>, usage: string): ResolvedField<R> {
  const dot = raw.indexOf('.')
  let kind: ClauseKind = 'attribute'
  let keyText = raw
  if (dot >= 0) {
    const prefixText = raw.slice(0, dot)
    const prefix = table.backtickedPrefixes && isWrappedIn(prefixText, '`') ? prefixText.slice(1, -1) : prefixText
    const prefixKind = own(table.prefixes, prefix)
    if (prefixKind === undefined) {
      const valid = Object.keys(table.prefixes)
      throw invalidInput(
        valid.length === 0
          ? `Invalid key ${echo(raw)} for ${usage}. Valid keys are: ${Object.keys(table.fixed.attribute ?? {}).join(', ')}`
          : `Invalid entity type '${prefix}' in ${echo(raw)}. Valid prefixes are: ${valid.join(', ')}`,
      )
    }
    kind = prefixKind
    keyText = raw.slice(dot + 1)
  }

  const fixed = table.fixed[kind]
  if (fixed) {
    const key = kind === 'attribute' && !table.quotedAttributeKeys ? keyText : unquoteKey(keyText)
    const field = own(fixed, key)
    if (!field) {
      const quotedButValid = key !== unquoteKey(key) && own(fixed, unquoteKey(key)) !== undefined
      const hint = quotedButValid ? ` (write ${unquoteKey(key)} without quotes)` : ''
      throw invalidInput(`Invalid ${KIND_LABEL[kind]} key '${key}' specified for ${usage}. Valid keys are: ${Object.keys(fixed).join(', ')}${hint}`)
    }
    return { kind, key: field.key, rule: field }
  }
  const rule = table.open[kind]
  if (rule === undefined) {
    throw invalidInput(`${capitalize(KIND_LABEL[kind])} fields such as ${echo(raw)} cannot be used for ${usage}`)
  }
  const key = unquoteKey(keyText)
  if (key === '') throw invalidInput(`The ${KIND_LABEL[kind]} name in ${echo(raw)} is empty`)
  return { kind, key, rule }
}
