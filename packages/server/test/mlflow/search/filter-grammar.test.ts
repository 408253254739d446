import { describe, expect, it } from 'vitest'
import {
  parseExperimentFilter,
  parseModelVersionFilter,
  parseRegisteredModelFilter,
  parseRunFilter,
  type FilterClause,
} from '../../../src/mlflow/search'
import { expectInvalidInput } from './expect-invalid'

// The grammar is shared: every search reads quoting, AND and tags the same way.
const searches: [string, (filter: string | undefined) => FilterClause[]][] = [
  ['registered models', parseRegisteredModelFilter],
  ['model versions', parseModelVersionFilter],
  ['runs', parseRunFilter],
  ['experiments', parseExperimentFilter],
]

const tag = (key: string, comparator: FilterClause['comparator'], value: string): FilterClause => ({ kind: 'tag', key, comparator, value })

describe.each(searches)('filter grammar when searching %s', (_name, parse) => {
  it.each([undefined, '', '   '])('an absent or blank filter (%j) matches everything', (filter) => {
    expect(parse(filter)).toEqual([])
  })

  it.each<[string, FilterClause[]]>([
    ["tags.team = 'risk'", [tag('team', '=', 'risk')]],
    ['tags.team = "risk"', [tag('team', '=', 'risk')]],
    ["tag.team != 'risk'", [tag('team', '!=', 'risk')]],
    ["tags.team='risk'", [tag('team', '=', 'risk')]],
    ["tags.mlflow.source.type = 'JOB'", [tag('mlflow.source.type', '=', 'JOB')]],
    ["tags.`my key` = 'x'", [tag('my key', '=', 'x')]],
    ['tags."my key" = \'x\'', [tag('my key', '=', 'x')]],
    ["tags.'my key' = 'x'", [tag('my key', '=', 'x')]],
    ["tags.`a.b` = 'x'", [tag('a.b', '=', 'x')]],
    ["tags.note = ''", [tag('note', '=', '')]],
    ["tags.note = 'it''s'", [tag('note', '=', "it''s")]],
    ["tags.team LIKE 'ri%'", [tag('team', 'LIKE', 'ri%')]],
    ["tags.team like '%i_k'", [tag('team', 'LIKE', '%i_k')]],
    ["tags.team ILIKE '%RISK%'", [tag('team', 'ILIKE', '%RISK%')]],
    ["tags.a = 'x' AND tags.b = 'y'", [tag('a', '=', 'x'), tag('b', '=', 'y')]],
    ["tags.a = 'x' and tags.b = 'y'", [tag('a', '=', 'x'), tag('b', '=', 'y')]],
    ["tags.a = 'x'\n  AND\ttags.b = 'y'", [tag('a', '=', 'x'), tag('b', '=', 'y')]],
    ["tags.a = 'x' AND tags.a != 'z'", [tag('a', '=', 'x'), tag('a', '!=', 'z')]],
  ])('reads %s', (filter, clauses) => {
    expect(parse(filter)).toEqual(clauses)
  })

  it.each<[string, FilterClause[]]>([
    ["AND tags.a = 'x'", [tag('a', '=', 'x')]],
    ["tags.a = 'x' AND", [tag('a', '=', 'x')]],
    ["tags.a = 'x' AND AND tags.b = 'y'", [tag('a', '=', 'x'), tag('b', '=', 'y')]],
    ["tags.a = 'x' tags.b = 'y'", [tag('a', '=', 'x'), tag('b', '=', 'y')]],
  ])('tolerates stray ANDs as MLflow does: %s', (filter, clauses) => {
    expect(parse(filter)).toEqual(clauses)
  })

  it.each([
    ["tags.a = 'x' OR tags.b = 'y'", 'Invalid clause(s) in filter string', "'OR'", 'Only AND'],
    ["(tags.a = 'x')", 'Invalid clause(s) in filter string', 'Parentheses are not supported'],
    ["tags.a = 'x' AND (tags.b = 'y')", 'Parentheses are not supported'],
    ["NOT tags.a = 'x'", 'NOT is only supported as part of NOT IN'],
    ["tags.a = 'x'; tags.b = 'y'", 'only one statement', "';'"],
    ["tags.a = 'x';", 'only one statement'],
    ["tags.a = 'x' -- note", 'comments are not supported'],
    ["tags.a = 'x' /* note */", 'comments are not supported'],
    ["tags.a = 'x", 'unterminated quoted string', 'character 10'],
    ['tags.a = "x', 'unterminated quoted string'],
    ["tags.`a = 'x'", 'unterminated quoted name'],
    ["`tags.a = 'x'", 'unterminated backtick-quoted name'],
    ["tags.a = $x", "unexpected character '$'"],
    ["tags.my-key = 'x'", "unexpected character '-'"],
    ["tags. a = 'x'", "expected a key right after the '.'"],
    ['tags.a', 'expected a comparator', "after 'tags.a'", 'the filter ends there'],
    ["tags.a 'x'", 'expected a comparator', "found ''x''"],
    ['tags.a =', "'tags.a =' has no value"],
    ["= 'x'", 'Each condition must look like <field> <comparator> <value>'],
    ["'tags.a' = 'x'", 'not single-quoted', 'backticks'],
    ['tags.a = x', 'The value x for tag \'a\' is not quoted', "e.g. 'x'"],
    ['tags.a = `x`', 'is not quoted', "e.g. 'x'"],
    ['tags.a = 5', "Expected a quoted string value for tag 'a'", 'got 5'],
    ["tags.a > 'x'", "Invalid comparator '>' for tag 'a'", 'Allowed comparators: =, !=, LIKE, ILIKE'],
    ["tags.a == 'x'", "Invalid comparator '=='", "use '='"],
    ["tags.a <> 'x'", "Invalid comparator '<>'", "use '!='"],
    ["tags.a NOT LIKE 'x'", "Invalid comparator 'NOT LIKE'"],
    ["tags.a RLIKE 'x'", "Invalid comparator 'RLIKE'"],
    ["tags.a IN ('x')", "Invalid comparator 'IN' for tag 'a'"],
    ["tags.a = ('x')", 'Only IN and NOT IN compare with a list'],
    ["tags.`` = 'x'", 'is empty'],
    ["TAGS.a = 'x'", "Invalid entity type 'TAGS'"],
    ["nope.a = 'x'", "Invalid entity type 'nope'", 'Valid prefixes are'],
    ["no_such_field = 'x'", "Invalid attribute key 'no_such_field'", 'Valid keys are'],
  ])('refuses %s', (filter, ...fragments) => {
    expectInvalidInput(() => parse(filter), ...fragments)
  })

  it('cuts a huge filter short when echoing it in an error', () => {
    const filter = `tags.a = 'x' ${'AND '.repeat(200)} $`
    expect(() => parse(filter)).toThrow(expect.objectContaining({ message: expect.stringContaining('…') }))
  })
})
