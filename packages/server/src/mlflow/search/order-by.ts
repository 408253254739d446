import { describeField, resolveField, type FieldTable } from './field-table'
import { echo, invalidInput } from './invalid-input'
import { tokenize } from './tokenizer'
import type { OrderTerm } from './types'

export interface OrderBySpec {
  /** Names the search in messages, e.g. "ordering runs". */
  usage: string
  table: FieldTable<object>
  /** Used when the request gives no order_by. */
  defaults: readonly string[]
  /** Appended, in order, for each field not already ordered, so paging is stable. */
  tieBreakers: readonly OrderTerm[]
  /** MLflow refuses a field ordered twice in every search but experiments. */
  refusesDuplicates: boolean
}

/** An order_by field table entry for each name, plus aliases (alias → canonical name). */
export function orderableFields(names: readonly string[], aliases: Readonly<Record<string, string>> = {}): Record<string, { key: string }> {
  const fields: Record<string, { key: string }> = {}
  for (const name of names) fields[name] = { key: name }
  for (const [alias, name] of Object.entries(aliases)) fields[alias] = { key: name }
  return fields
}

/** Parses MLflow order_by clauses (`<field> [ASC|DESC]`) and completes them with the search's tie-breakers. */
export function parseOrderBy(orderBy: readonly string[] | undefined, spec: OrderBySpec): OrderTerm[] {
  const clauses = orderBy && orderBy.length > 0 ? orderBy : spec.defaults
  const terms: OrderTerm[] = []
  for (const clause of clauses) {
    const term = parseOrderClause(clause, spec)
    if (spec.refusesDuplicates && terms.some((earlier) => sameField(earlier, term))) {
      throw invalidInput(
        `Invalid order_by clause ${echo(clause)}: ${describeField(term.kind, term.key)} is already ordered by an earlier clause (order_by contains duplicate fields)`,
      )
    }
    terms.push(term)
  }
  for (const tieBreaker of spec.tieBreakers) {
    if (!terms.some((term) => sameField(term, tieBreaker))) terms.push({ ...tieBreaker })
  }
  return terms
}

function parseOrderClause(clause: string, spec: OrderBySpec): OrderTerm {
  const invalid = (why: string) => invalidInput(`Invalid order_by clause ${echo(clause)}: ${why}`)
  const tokens = tokenize(clause, 'order_by clause')
  const [field, direction, ...rest] = tokens
  if (field === undefined) throw invalid("it is empty; write '<field> [ASC|DESC]'")
  if (field.type !== 'field' && field.type !== 'quoted') throw invalid(`expected a field name, found ${echo(field.text)}`)
  if (rest.length > 0) throw invalid("expected '<field> [ASC|DESC]'")
  let ascending = true
  if (direction !== undefined) {
    const word = direction.text.toUpperCase()
    if (direction.type !== 'field' || (word !== 'ASC' && word !== 'DESC')) {
      throw invalid(`the ordering ${echo(direction.text)} is neither ASC nor DESC`)
    }
    ascending = word === 'ASC'
  }
  const { kind, key } = resolveField(field.text, spec.table, spec.usage)
  return { kind, key, ascending }
}

function sameField(a: OrderTerm, b: OrderTerm): boolean {
  return a.kind === b.kind && a.key === b.key
}
