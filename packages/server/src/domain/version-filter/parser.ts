import { FilterLimits } from '@canon/api'
import type { Condition, FilterNode, Operator, Value } from './ast'
import { FIELD_NAMES, resolveField, type FieldRule } from './fields'
import { filterError } from './filter-error'
import { tokenize, type Token } from './lexer'

/**
 * Parses the version search language into a tree; nothing of the text ever reaches SQL except as bound values.
 *
 *   filter    := or
 *   or        := and (OR and)*
 *   and       := unary (AND unary)*
 *   unary     := NOT unary | '(' or ')' | condition
 *   condition := field op value | field [NOT] IN '(' value (',' value)* ')' | field [NOT] [I]LIKE string | field IS [NOT] NULL
 */
export function parseVersionFilter(source: string): FilterNode {
  if (source.length > FilterLimits.length) {
    throw filterError(FilterLimits.length, `the filter is longer than ${FilterLimits.length} characters`, ['a shorter filter'])
  }
  return new Parser(source, tokenize(source)).parse()
}

const EXAMPLE = "e.g. metrics.val_auc > 0.9 AND tags.team = 'risk'"

class Parser {
  private at = 0
  private terms = 0

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  parse(): FilterNode {
    if (this.peek().type === 'end') throw filterError(0, `the filter is empty: write a condition, ${EXAMPLE}`, ['a condition'])
    const node = this.or(0)
    const next = this.peek()
    if (next.type === ')') throw filterError(next.start, "this ')' has no matching '('", ['AND', 'OR', 'the end of the filter'], ')')
    if (next.type !== 'end') throw this.unexpected(next, `expected AND, OR or the end of the filter after ${this.describePrevious()}`, ['AND', 'OR', 'the end of the filter'])
    return node
  }

  private or(depth: number): FilterNode {
    const items = [this.and(depth)]
    while (this.isKeyword('OR')) {
      this.next()
      items.push(this.and(depth))
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items }
  }

  private and(depth: number): FilterNode {
    const items = [this.unary(depth)]
    while (this.isKeyword('AND')) {
      this.next()
      items.push(this.unary(depth))
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items }
  }

  private unary(depth: number): FilterNode {
    const token = this.peek()
    if (token.type === 'keyword' && token.value === 'NOT') {
      this.next()
      this.checkDepth(token, depth + 1)
      return { kind: 'not', item: this.unary(depth + 1) }
    }
    if (token.type === '(') {
      this.next()
      this.checkDepth(token, depth + 1)
      const inner = this.or(depth + 1)
      const close = this.peek()
      if (close.type !== ')') throw this.unexpected(close, `expected ')' to close the '(' at character ${token.start + 1}`, [')', 'AND', 'OR'])
      this.next()
      return inner
    }
    return this.condition()
  }

  private condition(): Condition {
    const token = this.peek()
    if (token.type !== 'field') {
      const after = this.at === 0 ? 'at the start of the filter' : `after ${this.describePrevious()}`
      throw this.unexpected(token, `expected a field such as metrics.<key>, tags.<key> or stage ${after}`, FIELD_NAMES)
    }
    const resolved = resolveField(token.value!, token.key)
    if (!resolved) {
      throw filterError(token.start, `unknown field '${token.text}'; fields are ${FIELD_NAMES.join(', ')}`, FIELD_NAMES, token.text)
    }
    this.next()
    if (++this.terms > FilterLimits.terms) throw filterError(token.start, `a filter has at most ${FilterLimits.terms} conditions`, ['fewer conditions'])
    const { field, rule } = resolved
    const opToken = this.peek()
    const op = this.operator(token)
    if (!rule.operators.includes(op)) {
      throw filterError(opToken.start, `${token.text} cannot be compared with ${op}; use ${rule.operators.join(', ')}`, [...rule.operators], op)
    }
    if (op === 'IS NULL' || op === 'IS NOT NULL') return { kind: 'condition', field, op }
    if (op === 'IN' || op === 'NOT IN') return { kind: 'condition', field, op, values: this.list(rule, op) }
    const value = this.value(rule, op)
    if (op === 'LIKE' || op === 'ILIKE' || op === 'NOT LIKE' || op === 'NOT ILIKE') return { kind: 'condition', field, op, value: String(value) }
    return { kind: 'condition', field, op, value }
  }

  private operator(field: Token): Operator {
    const token = this.next()
    const expected = ['=', '!=', '<', '<=', '>', '>=', 'LIKE', 'ILIKE', 'IN', 'NOT IN', 'IS NULL', 'IS NOT NULL']
    if (token.type === 'operator') return token.text === '<>' ? '!=' : (token.text as Operator)
    if (token.type === 'keyword') {
      if (token.value === 'LIKE' || token.value === 'ILIKE' || token.value === 'IN') return token.value
      if (token.value === 'NOT') {
        const after = this.next()
        if (after.type === 'keyword' && (after.value === 'LIKE' || after.value === 'ILIKE' || after.value === 'IN')) return `NOT ${after.value}`
        throw this.unexpected(after, "expected IN, LIKE or ILIKE after 'NOT'", ['IN', 'LIKE', 'ILIKE'])
      }
      if (token.value === 'IS') {
        const not = this.isKeyword('NOT') ? this.next() : undefined
        const nul = this.next()
        if (nul.type === 'keyword' && nul.value === 'NULL') return not ? 'IS NOT NULL' : 'IS NULL'
        throw this.unexpected(nul, `expected NULL after '${not ? 'IS NOT' : 'IS'}'`, ['NULL'])
      }
    }
    throw this.unexpected(token, `expected an operator after '${field.text}'`, expected)
  }

  private value(rule: FieldRule, op: string): Value {
    const token = this.next()
    if (token.type !== 'string' && token.type !== 'number') throw this.unexpected(token, `expected a value after '${op}'`, ['a quoted string', 'a number'])
    const value = rule.value({ type: token.type, text: token.text, value: token.value ?? token.text })
    if (typeof value === 'object') throw filterError(token.start, value.problem, ['a value'], token.text)
    return value
  }

  private list(rule: FieldRule, op: string): Value[] {
    const open = this.next()
    if (open.type !== '(') throw this.unexpected(open, `expected '(' after '${op}', e.g. ${op} ('a', 'b')`, ['('])
    const values = [this.value(rule, op)]
    for (;;) {
      const token = this.next()
      if (token.type === ')') return values
      if (token.type !== ',') throw this.unexpected(token, `expected ',' or ')' in the list opened at character ${open.start + 1}`, [',', ')'])
      if (values.length >= FilterLimits.listValues) throw filterError(token.start, `an IN list has at most ${FilterLimits.listValues} values`, [')'])
      values.push(this.value(rule, ','))
    }
  }

  private checkDepth(token: Token, depth: number): void {
    if (depth > FilterLimits.depth) throw filterError(token.start, `parentheses and NOT nest at most ${FilterLimits.depth} deep`, ['a flatter filter'])
  }

  private unexpected(token: Token, problem: string, expected: string[]): never {
    throw filterError(token.start, problem, expected, token.type === 'end' ? 'the end of the filter' : token.text)
  }

  private describePrevious(): string {
    const previous = this.tokens[this.at - 1]
    return previous ? `'${previous.text}'` : 'the start'
  }

  private isKeyword(word: string): boolean {
    const token = this.peek()
    return token.type === 'keyword' && token.value === word
  }

  private peek(): Token {
    return this.tokens[this.at]!
  }

  private next(): Token {
    const token = this.tokens[this.at]!
    if (token.type !== 'end') this.at++
    return token
  }
}
