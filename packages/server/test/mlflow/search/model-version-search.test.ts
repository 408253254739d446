import { describe, expect, it } from 'vitest'
import { parseModelVersionFilter, parseModelVersionOrderBy, type FilterClause, type OrderTerm } from '../../../src/mlflow/search'
import { expectInvalidInput } from './expect-invalid'

describe('model version search filters', () => {
  it.each<[string, FilterClause[]]>([
    ["name = 'churn'", [{ kind: 'attribute', key: 'name', comparator: '=', value: 'churn' }]],
    ["run_id = 'ab12'", [{ kind: 'attribute', key: 'run_id', comparator: '=', value: 'ab12' }]],
    ["run_id IN ('ab12', 'cd34')", [{ kind: 'attribute', key: 'run_id', comparator: 'IN', value: ['ab12', 'cd34'] }]],
    ["run_id in('ab12')", [{ kind: 'attribute', key: 'run_id', comparator: 'IN', value: ['ab12'] }]],
    ["source_path = 's3://bucket/model'", [{ kind: 'attribute', key: 'source_path', comparator: '=', value: 's3://bucket/model' }]],
    ["source_path LIKE 'mlflow-artifacts:/%'", [{ kind: 'attribute', key: 'source_path', comparator: 'LIKE', value: 'mlflow-artifacts:/%' }]],
    ['version_number > 2', [{ kind: 'attribute', key: 'version_number', comparator: '>', value: 2 }]],
    ['attribute.version_number <= 10', [{ kind: 'attribute', key: 'version_number', comparator: '<=', value: 10 }]],
    ["tag.`deploy target` ILIKE 'prod%'", [{ kind: 'tag', key: 'deploy target', comparator: 'ILIKE', value: 'prod%' }]],
    [
      "name='churn' AND version_number >= 2 AND tags.stage != 'dev'",
      [
        { kind: 'attribute', key: 'name', comparator: '=', value: 'churn' },
        { kind: 'attribute', key: 'version_number', comparator: '>=', value: 2 },
        { kind: 'tag', key: 'stage', comparator: '!=', value: 'dev' },
      ],
    ],
  ])('reads %s', (filter, clauses) => {
    expect(parseModelVersionFilter(filter)).toEqual(clauses)
  })

  it('drops run ids that are not lowercase from IN lists, as MLflow does', () => {
    expect(parseModelVersionFilter("run_id IN ('ab12', 'CD34', '1234')")).toEqual([
      { kind: 'attribute', key: 'run_id', comparator: 'IN', value: ['ab12'] },
    ])
  })

  it('reads a quoted whole number as a version number', () => {
    expect(parseModelVersionFilter("version_number = '3'")).toEqual([{ kind: 'attribute', key: 'version_number', comparator: '=', value: 3 }])
  })

  it.each([
    ["run_id NOT IN ('ab12')", "Invalid comparator 'NOT IN' for attribute 'run_id'"],
    ["run_id IN 'ab12'", 'IN needs a parenthesised list', "got 'ab12'"],
    ['run_id IN ()', "Invalid list () for attribute 'run_id'", 'it is empty'],
    ["run_id IN ('a',)", "expected a value after the last ','"],
    ["run_id IN ('a' 'b')", "expected ',' between values"],
    ['run_id IN ("a", "b")', 'list values must be single-quoted'],
    ["run_id IN ('a', 5)", "found '5'"],
    ["run_id IN (('a'))", 'expected a single-quoted string'],
    ["run_id IN ('a'", 'it is not closed'],
    ["run_id IN ('a\\nb')", 'cannot contain backslashes'],
    ["name IN ('churn')", "Invalid comparator 'IN' for attribute 'name'"],
    ["version_number LIKE '3'", "Invalid comparator 'LIKE' for attribute 'version_number'"],
    ["version_number = 'three'", "Expected a numeric value for attribute 'version_number'"],
    ['version_number = latest', "Expected a numeric value for attribute 'version_number'"],
    ['name = 3', "Expected a quoted string value for attribute 'name'"],
    ["source = 's3://x'", "Invalid attribute key 'source'", 'name, run_id, source_path, version_number'],
    ["current_stage = 'Production'", "Invalid attribute key 'current_stage'"],
    ["`run_id` = 'ab'", 'write run_id without quotes'],
    ["params.lr = '0.1'", "Invalid entity type 'params'"],
  ])('refuses %s', (filter, ...fragments) => {
    expectInvalidInput(() => parseModelVersionFilter(filter), ...fragments)
  })
})

describe('model version search order_by', () => {
  const term = (key: string, ascending: boolean): OrderTerm => ({ kind: 'attribute', key, ascending })

  it.each<[string[] | undefined, OrderTerm[]]>([
    [undefined, [term('last_updated_timestamp', false), term('name', true), term('version_number', false)]],
    [[], [term('last_updated_timestamp', false), term('name', true), term('version_number', false)]],
    [['name'], [term('name', true), term('version_number', false)]],
    [['version_number ASC'], [term('version_number', true), term('name', true)]],
    [['creation_timestamp DESC'], [term('creation_timestamp', false), term('name', true), term('version_number', false)]],
    [['attribute.name DESC'], [term('name', false), term('version_number', false)]],
    [['`name`'], [term('name', true), term('version_number', false)]],
    [['version_number', 'name'], [term('version_number', true), term('name', true)]],
  ])('orders %j with name ASC and version_number DESC breaking ties', (orderBy, terms) => {
    expect(parseModelVersionOrderBy(orderBy)).toEqual(terms)
  })

  it.each<[string[], ...string[]]>([
    [['timestamp'], "Invalid attribute key 'timestamp'", 'name, version_number, creation_timestamp, last_updated_timestamp'],
    [['run_id'], "Invalid attribute key 'run_id'"],
    [['tags.name'], 'Tag fields such as', 'cannot be used for ordering model versions'],
    [['name', 'name DESC'], 'duplicate fields'],
    [['version_number NULLS LAST'], "Invalid order_by clause 'version_number NULLS LAST'"],
  ])('refuses %j', (orderBy, ...fragments) => {
    expectInvalidInput(() => parseModelVersionOrderBy(orderBy), ...fragments)
  })
})
