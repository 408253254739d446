import { FilterLimits } from '@canon/api'
import { describe, expect, it } from 'vitest'
import { parseVersionFilter } from '../../src/domain/version-filter'
import { CanonError } from '../../src/domain/errors'

const metric = (key: string, op: string, value: number) => ({ kind: 'condition', field: { kind: 'metric', key }, op, value })
const tag = (key: string, op: string, value: string) => ({ kind: 'condition', field: { kind: 'tag', key }, op, value })

function failure(filter: string): { message: string; position: number; expected: string[]; found?: string } {
  try {
    parseVersionFilter(filter)
  } catch (error) {
    expect(error).toBeInstanceOf(CanonError)
    const e = error as CanonError
    expect(e.code).toBe('INVALID_FILTER')
    return { message: e.message, ...(e.details as { position: number; expected: string[]; found?: string }) }
  }
  throw new Error(`expected ${filter} to be refused`)
}

describe('version filter parser', () => {
  it('parses the example from the issue into AND over an OR', () => {
    expect(parseVersionFilter("metrics.val_auc > 0.9 AND (tags.team = 'risk' OR params.max_depth = '6')")).toEqual({
      kind: 'and',
      items: [metric('val_auc', '>', 0.9), { kind: 'or', items: [tag('team', '=', 'risk'), { kind: 'condition', field: { kind: 'param', key: 'max_depth' }, op: '=', value: '6' }] }],
    })
  })

  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    const a = metric('a', '=', 1)
    const b = metric('b', '=', 2)
    const c = metric('c', '=', 3)
    expect(parseVersionFilter('metrics.a = 1 OR metrics.b = 2 AND metrics.c = 3')).toEqual({ kind: 'or', items: [a, { kind: 'and', items: [b, c] }] })
    expect(parseVersionFilter('metrics.a = 1 AND metrics.b = 2 OR metrics.c = 3')).toEqual({ kind: 'or', items: [{ kind: 'and', items: [a, b] }, c] })
    expect(parseVersionFilter('NOT metrics.a = 1 AND metrics.b = 2')).toEqual({ kind: 'and', items: [{ kind: 'not', item: a }, b] })
    expect(parseVersionFilter('NOT (metrics.a = 1 AND metrics.b = 2)')).toEqual({ kind: 'not', item: { kind: 'and', items: [a, b] } })
    expect(parseVersionFilter('NOT NOT metrics.a = 1')).toEqual({ kind: 'not', item: { kind: 'not', item: a } })
  })

  it('flattens chains of one operator and keeps redundant parentheses out of the tree', () => {
    expect(parseVersionFilter('((metrics.a = 1)) and metrics.b = 2 AND metrics.c = 3')).toEqual({ kind: 'and', items: [metric('a', '=', 1), metric('b', '=', 2), metric('c', '=', 3)] })
  })

  it('reads keywords in any case, and <> as !=', () => {
    expect(parseVersionFilter("tags.x <> 'a' or not tags.y is not null")).toEqual({
      kind: 'or',
      items: [tag('x', '!=', 'a'), { kind: 'not', item: { kind: 'condition', field: { kind: 'tag', key: 'y' }, op: 'IS NOT NULL' } }],
    })
  })

  it('unquotes strings and backquoted keys, doubling the quote to escape it', () => {
    expect(parseVersionFilter("tags.`odd key ``here`` ` = 'it''s'")).toEqual(tag('odd key `here` ', '=', "it's"))
    expect(parseVersionFilter('tags.note = "say ""hi"""')).toEqual(tag('note', '=', 'say "hi"'))
    expect(parseVersionFilter("tags.team.sub-key/x:y = 'a'")).toEqual(tag('team.sub-key/x:y', '=', 'a'))
  })

  it('reads negative, decimal and exponent numbers', () => {
    expect(parseVersionFilter('metrics.a > -0.5')).toEqual(metric('a', '>', -0.5))
    expect(parseVersionFilter('metrics.a < 1e-3')).toEqual(metric('a', '<', 0.001))
    expect(parseVersionFilter('metrics.a >= .5')).toEqual(metric('a', '>=', 0.5))
  })

  it('reads IN and NOT IN lists, LIKE, ILIKE and their NOT forms', () => {
    expect(parseVersionFilter("stage IN ('Staging', 'Production')")).toEqual({ kind: 'condition', field: { kind: 'stage' }, op: 'IN', values: ['Staging', 'Production'] })
    expect(parseVersionFilter('metrics.a not in (1, 2)')).toEqual({ kind: 'condition', field: { kind: 'metric', key: 'a' }, op: 'NOT IN', values: [1, 2] })
    expect(parseVersionFilter("model NOT ILIKE 'ch%'")).toEqual({ kind: 'condition', field: { kind: 'model' }, op: 'NOT ILIKE', value: 'ch%' })
  })

  it('reads dataset as the URI of a consumed dataset, and dataset.name, .digest and .role', () => {
    expect(parseVersionFilter("dataset = 'dataset://churn/3'")).toEqual({ kind: 'condition', field: { kind: 'dataset', attribute: 'uri' }, op: '=', value: 'dataset://churn/3' })
    expect(parseVersionFilter("dataset.digest = 'sha256:ab'")).toEqual({ kind: 'condition', field: { kind: 'dataset', attribute: 'digest' }, op: '=', value: 'sha256:ab' })
    expect(parseVersionFilter('dataset.role IS NULL')).toEqual({ kind: 'condition', field: { kind: 'dataset', attribute: 'role' }, op: 'IS NULL' })
    expect(failure("dataset.size = '1'").message).toContain("unknown field 'dataset.size'")
  })

  it('reads created as an ISO date or epoch milliseconds, and name as model', () => {
    expect(parseVersionFilter("created >= '2026-01-31'")).toEqual({ kind: 'condition', field: { kind: 'created' }, op: '>=', value: Date.UTC(2026, 0, 31) })
    expect(parseVersionFilter('created < 1767225600000')).toEqual({ kind: 'condition', field: { kind: 'created' }, op: '<', value: 1767225600000 })
    expect(parseVersionFilter("name = 'churn'")).toEqual({ kind: 'condition', field: { kind: 'model' }, op: '=', value: 'churn' })
  })

  it.each([
    ['metrics.val_auc >', 18, "expected a value after '>'", 'the end of the filter'],
    ['', 1, 'the filter is empty', undefined],
    ["metrics.val_auc > 0.9 AND (tags.team = 'risk'", 46, "expected ')' to close the '(' at character 27", 'the end of the filter'],
    ["tags.team = 'risk')", 19, "this ')' has no matching '('", ')'],
    ["tags.team = 'risk' AND", 23, 'expected a field', 'the end of the filter'],
    ["tags.team == 'risk'", 11, "'==' is not an operator here", '=='],
    ['tags. = 1', 6, "expected a key after 'tags.'", undefined],
    ["colour = 'red'", 1, "unknown field 'colour'", 'colour'],
    ["labels.x = 'red'", 1, "unknown field 'labels.x'", 'labels.x'],
    ["stage LIKE 'Prod%'", 7, 'stage cannot be compared with LIKE', 'LIKE'],
    ["tags.x 'a'", 8, "expected an operator after 'tags.x'", "'a'"],
    ["tags.x IS 'a'", 11, "expected NULL after 'IS'", "'a'"],
    ["tags.x NOT = 'a'", 12, "expected IN, LIKE or ILIKE after 'NOT'", '='],
    ["tags.x IN 'a'", 11, "expected '(' after 'IN'", "'a'"],
    ["tags.x IN ('a' 'b')", 16, "expected ',' or ')' in the list opened at character 11", "'b'"],
    ['tags.x IN ()', 12, "expected a value after 'IN'", ')'],
    ["approval = 'maybe'", 12, "approval is one of 'pending', 'approved', 'rejected'", "'maybe'"],
    ['tags.x = `a`', 10, 'a backquoted name must follow a field prefix', undefined],
    ['tags.`x = 1', 6, 'unterminated backquoted key', undefined],
    ['metrics.a > 1e400', 13, 'out of range', '1e400'],
    ['created > 1.5', 11, 'created takes an ISO 8601 date', '1.5'],
  ])('refuses %j at character %i: %s', (filter, position, words, found) => {
    const error = failure(filter)
    expect(error.position).toBe(position)
    expect(error.message).toContain(`at character ${position}: `)
    expect(error.message).toContain(words)
    expect(error.expected.length).toBeGreaterThan(0)
    if (found !== undefined) expect(error.found).toBe(found)
  })

  it('bounds length, depth, conditions and list size', () => {
    expect(failure(`tags.x = '${'y'.repeat(FilterLimits.length)}'`).position).toBe(FilterLimits.length + 1)
    const nested = `${'('.repeat(FilterLimits.depth)}tags.x = 'a'${')'.repeat(FilterLimits.depth)}`
    expect(parseVersionFilter(nested)).toEqual(tag('x', '=', 'a'))
    expect(failure(`(${nested})`).message).toContain(`nest at most ${FilterLimits.depth} deep`)
    expect(failure(`${'NOT '.repeat(FilterLimits.depth + 1)}tags.x = 'a'`).position).toBe(FilterLimits.depth * 4 + 1)
    const terms = (n: number) => Array.from({ length: n }, (_, i) => `metrics.m${i} = 1`).join(' OR ')
    expect(parseVersionFilter(terms(FilterLimits.terms))).toMatchObject({ kind: 'or', items: { length: FilterLimits.terms } })
    expect(failure(terms(FilterLimits.terms + 1)).message).toContain(`at most ${FilterLimits.terms} conditions`)
    const list = (n: number) => `metrics.a IN (${Array.from({ length: n }, (_, i) => i).join(', ')})`
    expect(parseVersionFilter(list(FilterLimits.listValues))).toMatchObject({ op: 'IN' })
    expect(failure(list(FilterLimits.listValues + 1)).message).toContain(`at most ${FilterLimits.listValues} values`)
  })
})
