import { describe, expect, it } from 'vitest'
import { parseRegisteredModelFilter, parseRegisteredModelOrderBy, type FilterClause, type OrderTerm } from '../../../src/mlflow/search'
import { expectInvalidInput } from './expect-invalid'

describe('registered model search filters', () => {
  it.each<[string, FilterClause[]]>([
    ["name = 'churn'", [{ kind: 'attribute', key: 'name', comparator: '=', value: 'churn' }]],
    ['name != "churn"', [{ kind: 'attribute', key: 'name', comparator: '!=', value: 'churn' }]],
    ["name like 'ch%'", [{ kind: 'attribute', key: 'name', comparator: 'LIKE', value: 'ch%' }]],
    ["name ILIKE '%CHURN%'", [{ kind: 'attribute', key: 'name', comparator: 'ILIKE', value: '%CHURN%' }]],
    ["attribute.name = 'churn'", [{ kind: 'attribute', key: 'name', comparator: '=', value: 'churn' }]],
    [
      "tags.team = 'risk' AND name LIKE 'ch%'",
      [
        { kind: 'tag', key: 'team', comparator: '=', value: 'risk' },
        { kind: 'attribute', key: 'name', comparator: 'LIKE', value: 'ch%' },
      ],
    ],
  ])('reads %s', (filter, clauses) => {
    expect(parseRegisteredModelFilter(filter)).toEqual(clauses)
  })

  it.each([
    ["name IN ('a', 'b')", "Invalid comparator 'IN' for attribute 'name'"],
    ["name > 'a'", "Invalid comparator '>' for attribute 'name'", '=, !=, LIKE, ILIKE'],
    ['name = 5', "Expected a quoted string value for attribute 'name'"],
    ["`name` = 'churn'", "Invalid attribute key '`name`'", 'write name without quotes'],
    ['"name" = \'churn\'', "Invalid attribute key '\"name\"'", 'write name without quotes'],
    ["attributes.name = 'churn'", "Invalid entity type 'attributes'", 'attribute, tag, tags'],
    ['creation_timestamp > 5', "Invalid attribute key 'creation_timestamp'", 'Valid keys are: name'],
    ['metrics.acc > 0.5', "Invalid entity type 'metrics'"],
    ["run_id = 'abc'", "Invalid attribute key 'run_id'"],
  ])('refuses %s', (filter, ...fragments) => {
    expectInvalidInput(() => parseRegisteredModelFilter(filter), ...fragments)
  })
})

describe('registered model search order_by', () => {
  const name = (ascending: boolean): OrderTerm => ({ kind: 'attribute', key: 'name', ascending })
  const updated = (ascending: boolean): OrderTerm => ({ kind: 'attribute', key: 'last_updated_timestamp', ascending })

  it.each<[string[] | undefined, OrderTerm[]]>([
    [undefined, [name(true)]],
    [[], [name(true)]],
    [['name'], [name(true)]],
    [['name DESC'], [name(false)]],
    [['name Asc'], [name(true)]],
    [['"name" DESC'], [name(false)]],
    [['timestamp'], [updated(true), name(true)]],
    [['timestamp desc'], [updated(false), name(true)]],
    [['last_updated_timestamp DESC'], [updated(false), name(true)]],
    [['name ASC', 'timestamp DESC'], [name(true), updated(false)]],
  ])('orders %j by name unless told otherwise, name breaking ties', (orderBy, terms) => {
    expect(parseRegisteredModelOrderBy(orderBy)).toEqual(terms)
  })

  it.each<[string[], ...string[]]>([
    [['creation_timestamp'], "Invalid attribute key 'creation_timestamp'", 'name, last_updated_timestamp, timestamp'],
    [['attribute.name'], "Invalid key 'attribute.name' for ordering registered models"],
    [['NAME'], "Invalid attribute key 'NAME'"],
    [['name DESCENDING'], "Invalid order_by clause 'name DESCENDING'", 'neither ASC nor DESC'],
    [['name DESC ASC'], "Invalid order_by clause 'name DESC ASC'", '<field> [ASC|DESC]'],
    [['name, timestamp'], "Invalid order_by clause 'name, timestamp'"],
    [['name; drop table x'], "Invalid order_by clause 'name; drop table x'", "';'"],
    [[''], "Invalid order_by clause ''", 'empty'],
    [['name', 'name DESC'], "Invalid order_by clause 'name DESC'", 'duplicate fields'],
    [['last_updated_timestamp', 'timestamp DESC'], 'duplicate fields'],
  ])('refuses %j', (orderBy, ...fragments) => {
    expectInvalidInput(() => parseRegisteredModelOrderBy(orderBy), ...fragments)
  })
})
