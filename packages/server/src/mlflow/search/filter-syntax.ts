import { echo, invalidInput } from './invalid-input'
import { tokenize, type Token } from './tokenizer'

/** The right-hand side of a comparison, before any field decides what it must be. */
export type RawValue =
  | { type: 'string'; value: string; text: string }
  | { type: 'number'; value: number; text: string }
  | { type: 'list'; values: string[]; text: string; problem?: string }
  | { type: 'unquoted'; text: string }

/** `<field> <comparator> <value>` as written; `comparator` is upper-cased but not yet checked. */
export interface RawComparison {
  field: string
  comparator: string
  value: RawValue
  /** The comparison's source text, for error messages. */
  text: string
}

const SUBJECT = 'filter string'
const COMPARATOR_KEYWORDS = new Set(['LIKE', 'ILIKE', 'RLIKE', 'REGEXP', 'IN'])

/**
 * Reads MLflow's filter grammar: comparisons joined by AND (MLflow also tolerates stray, leading and
 * trailing ANDs, and a missing AND between two comparisons; so does this). OR, NOT and parentheses are refused.
 */
export function parseComparisons(filter: string): RawComparison[] {
  const tokens = tokenize(filter, SUBJECT)
  const comparisons: RawComparison[] = []
  let at = 0
  const peek = (): Token | undefined => tokens[at]
  const sourceFrom = (first: Token): string => {
    const last = tokens[at - 1] ?? first
    return filter.slice(first.start, last.start + last.text.length)
  }
  const invalidClause = (token: Token, why: string) => invalidInput(`Invalid clause(s) in filter string: ${echo(token.text)}. ${why}`)

  while (at < tokens.length) {
    const first = tokens[at++] as Token
    if (first.type === 'keyword' && first.text === 'AND') continue
    if (first.type === 'keyword' && first.text === 'OR') {
      throw invalidClause(first, 'Only AND is supported between conditions.')
    }
    if (first.type === 'keyword' && first.text === 'NOT') {
      throw invalidClause(first, 'NOT is only supported as part of NOT IN; use != to negate a comparison.')
    }
    if (first.type === 'punctuation' && first.text === '(') {
      throw invalidClause(first, 'Parentheses are not supported; combine conditions with AND.')
    }
    if (first.type === 'string') {
      throw invalidClause(first, 'A condition starts with a field name, which is not single-quoted; quote names with spaces in backticks, e.g. tags.`my key`.')
    }
    if (first.type !== 'field' && first.type !== 'quoted') {
      throw invalidClause(first, "Each condition must look like <field> <comparator> <value>, e.g. name = 'churn'.")
    }
    const comparator = readComparator(first)
    const value = readValue(first, comparator)
    comparisons.push({ field: first.text, comparator, value, text: sourceFrom(first) })
  }
  return comparisons

  function readComparator(field: Token): string {
    const token = peek()
    if (token?.type === 'operator') {
      at++
      return token.text
    }
    if (token?.type === 'keyword' && COMPARATOR_KEYWORDS.has(token.text)) {
      at++
      return token.text
    }
    if (token?.type === 'keyword' && token.text === 'NOT') {
      const negated = tokens[at + 1]
      if (negated?.type === 'keyword' && COMPARATOR_KEYWORDS.has(negated.text)) {
        at += 2
        return `NOT ${negated.text}`
      }
    }
    const found = token ? `found ${echo(token.text)}` : 'the filter ends there'
    throw invalidInput(
      `Invalid comparison in filter string: expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN) after ${echo(field.text)}, but ${found}.`,
    )
  }

  function readValue(field: Token, comparator: string): RawValue {
    const token = tokens[at++]
    const written = `${field.text} ${comparator}`
    if (token === undefined) {
      throw invalidInput(`Invalid comparison in filter string: ${echo(written)} has no value.`)
    }
    switch (token.type) {
      case 'string':
      case 'quoted':
        return { type: 'string', value: token.text.slice(1, -1), text: token.text }
      case 'number':
        return { type: 'number', value: Number(token.text) || 0, text: token.text }
      case 'field':
        return { type: 'unquoted', text: token.text }
      case 'punctuation':
        if (token.text === '(') return readList(token)
    }
    throw invalidInput(`Invalid comparison in filter string: expected a value after ${echo(written)}, found ${echo(token.text)}.`)
  }

  // Reads a parenthesised list up to its matching ')'; whether it is well formed is judged later, after the comparator.
  function readList(open: Token): RawValue {
    let depth = 1
    let close = at
    for (; close < tokens.length; close++) {
      const token = tokens[close] as Token
      if (token.type === 'punctuation' && token.text === '(') depth++
      if (token.type === 'punctuation' && token.text === ')' && --depth === 0) break
    }
    if (depth > 0) {
      throw invalidInput(`Invalid list ${echo(filter.slice(open.start))} in filter string: it is not closed. Write a list as ('a', 'b').`)
    }
    const items = tokens.slice(at, close)
    const closing = tokens[close] as Token
    at = close + 1
    const text = filter.slice(open.start, closing.start + 1)
    const values: string[] = []
    return { type: 'list', values, text, problem: listProblem(items, values) }
  }
}

/** MLflow accepts only non-empty lists of single-quoted strings, ('a') or ('a', 'b'); collects them into `values`. */
function listProblem(items: Token[], values: string[]): string | undefined {
  if (items.length === 0) return 'it is empty'
  for (let index = 0; index < items.length; index += 2) {
    const item = items[index] as Token
    if (item.type !== 'string') {
      return item.type === 'quoted' ? 'list values must be single-quoted' : `expected a single-quoted string, found ${echo(item.text)}`
    }
    const value = item.text.slice(1, -1)
    // MLflow evaluates list items as Python literals, so escapes would mean something else there: refuse them.
    if (value.includes('\\') || value.includes("''")) return 'list values cannot contain backslashes or doubled quotes'
    values.push(value)
    const separator = items[index + 1]
    if (separator === undefined) return undefined
    if (!(separator.type === 'punctuation' && separator.text === ',')) return "expected ',' between values"
    if (index + 2 >= items.length) return "expected a value after the last ','"
  }
  return undefined
}
