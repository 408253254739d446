import { describe, expect, it } from 'vitest'
import { parseExperimentFilter, parseExperimentOrderBy, type FilterClause, type OrderTerm } from '../../../src/mlflow/search'
import { expectInvalidInput } from './expect-invalid'

describe('experiment search filters', () => {
  it.each<[string, FilterClause[]]>([
    ["name = 'fraud'", [{ kind: 'attribute', key: 'name', comparator: '=', value: 'fraud' }]],
    ["attribute.name LIKE 'fr%'", [{ kind: 'attribute', key: 'name', comparator: 'LIKE', value: 'fr%' }]],
    ["name like 'fr%'", [{ kind: 'attribute', key: 'name', comparator: 'LIKE', value: 'fr%' }]],
    ["`name` ILIKE '%FR%'", [{ kind: 'attribute', key: 'name', comparator: 'ILIKE', value: '%FR%' }]],
    ['creation_time > 1700000000000', [{ kind: 'attribute', key: 'creation_time', comparator: '>', value: 1700000000000 }]],
    ['last_update_time <= 5', [{ kind: 'attribute', key: 'last_update_time', comparator: '<=', value: 5 }]],
    ["tags.owner = 'ann'", [{ kind: 'tag', key: 'owner', comparator: '=', value: 'ann' }]],
  ])('reads %s', (filter, clauses) => {
    expect(parseExperimentFilter(filter)).toEqual(clauses)
  })

  it.each([
    ["name IN ('a')", "Invalid comparator 'IN' for attribute 'name'"],
    ["name > 'a'", "Invalid comparator '>' for attribute 'name'"],
    ["creation_time = '5'", "Expected a numeric value for attribute 'creation_time'"],
    ['creation_time LIKE 5', "Invalid comparator 'LIKE' for attribute 'creation_time'"],
    ["experiment_id = '1'", "Invalid attribute key 'experiment_id'", 'name, creation_time, last_update_time'],
    ["lifecycle_stage = 'active'", "Invalid attribute key 'lifecycle_stage'"],
    ["attributes.name = 'x'", "Invalid entity type 'attributes'"],
    ['metrics.acc > 1', "Invalid entity type 'metrics'"],
  ])('refuses %s', (filter, ...fragments) => {
    expectInvalidInput(() => parseExperimentFilter(filter), ...fragments)
  })
})

describe('experiment search order_by', () => {
  const term = (key: string, ascending: boolean): OrderTerm => ({ kind: 'attribute', key, ascending })

  it.each<[string[] | undefined, OrderTerm[]]>([
    [undefined, [term('creation_time', false), term('experiment_id', true)]],
    [[], [term('creation_time', false), term('experiment_id', true)]],
    [['name'], [term('name', true), term('experiment_id', false)]],
    [['name DESC'], [term('name', false), term('experiment_id', false)]],
    [['attribute.last_update_time DESC'], [term('last_update_time', false), term('experiment_id', false)]],
    [['experiment_id DESC'], [term('experiment_id', false)]],
    [['name', 'name DESC'], [term('name', true), term('name', false), term('experiment_id', false)]],
  ])('orders %j with experiment_id DESC breaking ties', (orderBy, terms) => {
    expect(parseExperimentOrderBy(orderBy)).toEqual(terms)
  })

  it.each<[string[], ...string[]]>([
    [['tags.owner'], 'Tag fields such as', 'cannot be used for ordering experiments'],
    [['lifecycle_stage'], "Invalid attribute key 'lifecycle_stage'", 'name, experiment_id, creation_time, last_update_time'],
    [['timestamp'], "Invalid attribute key 'timestamp'"],
    [['name sideways'], 'neither ASC nor DESC'],
  ])('refuses %j', (orderBy, ...fragments) => {
    expectInvalidInput(() => parseExperimentOrderBy(orderBy), ...fragments)
  })
})
