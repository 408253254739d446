import { describe, expect, it } from 'vitest'
import { parseRunFilter, parseRunOrderBy, type FilterClause, type OrderTerm } from '../../../src/mlflow/search'
import { expectInvalidInput } from './expect-invalid'

const attribute = (key: string, comparator: FilterClause['comparator'], value: FilterClause['value']): FilterClause => ({
  kind: 'attribute',
  key,
  comparator,
  value,
})
const metric = (key: string, comparator: FilterClause['comparator'], value: number): FilterClause => ({ kind: 'metric', key, comparator, value })

describe('run search filters', () => {
  it.each<[string, FilterClause[]]>([
    ["status = 'FINISHED'", [attribute('status', '=', 'FINISHED')]],
    ["attributes.status != 'FAILED'", [attribute('status', '!=', 'FAILED')]],
    ["attribute.user_id LIKE 'ann%'", [attribute('user_id', 'LIKE', 'ann%')]],
    ["attr.artifact_uri ILIKE 's3://%'", [attribute('artifact_uri', 'ILIKE', 's3://%')]],
    ["run.run_name = 'baseline'", [attribute('run_name', '=', 'baseline')]],
    ["`run name` = 'baseline'", [attribute('run_name', '=', 'baseline')]],
    ['"Run Name" = \'baseline\'', [attribute('run_name', '=', 'baseline')]],
    ["run_id = 'ab12'", [attribute('run_id', '=', 'ab12')]],
    ["run_id IN ('ab12', 'cd34')", [attribute('run_id', 'IN', ['ab12', 'cd34'])]],
    ["run_id not  in ('ab12')", [attribute('run_id', 'NOT IN', ['ab12'])]],
    ['start_time >= 1700000000000', [attribute('start_time', '>=', 1700000000000)]],
    ['created > 5', [attribute('start_time', '>', 5)]],
    ['Created < 5', [attribute('start_time', '<', 5)]],
    ['attributes.end_time != 0', [attribute('end_time', '!=', 0)]],
    ['"start_time" > 1', [attribute('start_time', '>', 1)]],
    ['metrics.acc > 0.9', [metric('acc', '>', 0.9)]],
    ['metric.acc>=-1', [metric('acc', '>=', -1)]],
    ['metrics.loss < 1e-3', [metric('loss', '<', 0.001)]],
    ['metrics.loss <= .5', [metric('loss', '<=', 0.5)]],
    ['metrics.loss = 5.', [metric('loss', '=', 5)]],
    ['metrics.`val loss` != 2', [metric('val loss', '!=', 2)]],
    ['`metrics`.acc > 1', [metric('acc', '>', 1)]],
    ['metrics.1st_epoch_acc > 1', [metric('1st_epoch_acc', '>', 1)]],
    ["params.lr = '0.01'", [{ kind: 'param', key: 'lr', comparator: '=', value: '0.01' }]],
    ["parameters.optimizer ILIKE 'ADAM%'", [{ kind: 'param', key: 'optimizer', comparator: 'ILIKE', value: 'ADAM%' }]],
    ["param.lr != '0.1'", [{ kind: 'param', key: 'lr', comparator: '!=', value: '0.1' }]],
    ["tags.`mlflow.runName` = 'x'", [{ kind: 'tag', key: 'mlflow.runName', comparator: '=', value: 'x' }]],
    ["datasets.name = 'iris'", [{ kind: 'dataset', key: 'name', comparator: '=', value: 'iris' }]],
    ["dataset.digest IN ('abc', 'def')", [{ kind: 'dataset', key: 'digest', comparator: 'IN', value: ['abc', 'def'] }]],
    ["datasets.context NOT IN ('train')", [{ kind: 'dataset', key: 'context', comparator: 'NOT IN', value: ['train'] }]],
    [
      "metrics.acc > 0.9 AND params.lr = '0.01' AND tags.team LIKE 'r%' AND attributes.status = 'FINISHED'",
      [
        metric('acc', '>', 0.9),
        { kind: 'param', key: 'lr', comparator: '=', value: '0.01' },
        { kind: 'tag', key: 'team', comparator: 'LIKE', value: 'r%' },
        attribute('status', '=', 'FINISHED'),
      ],
    ],
  ])('reads %s', (filter, clauses) => {
    expect(parseRunFilter(filter)).toEqual(clauses)
  })

  it('drops run ids that are not lowercase from IN lists, as MLflow does', () => {
    expect(parseRunFilter("run_id IN ('ab12', 'AB12', '1234')")).toEqual([attribute('run_id', 'IN', ['ab12'])])
    expect(parseRunFilter("run_id IN ('AB12')")).toEqual([attribute('run_id', 'IN', [])])
  })

  it('keeps dataset names as written in IN lists', () => {
    expect(parseRunFilter("datasets.name IN ('Iris', 'wine')")).toEqual([{ kind: 'dataset', key: 'name', comparator: 'IN', value: ['Iris', 'wine'] }])
  })

  it.each([
    ["metrics.acc > '0.9'", "Expected a numeric value for metric 'acc'", 'without quotes'],
    ['metrics.acc > high', "Expected a numeric value for metric 'acc'"],
    ['metrics.acc > 5abc', "Expected a numeric value for metric 'acc'"],
    ['metrics.acc > 0x10', "Expected a numeric value for metric 'acc'"],
    ['metrics.acc > 1e999', 'out of range'],
    ["metrics.acc LIKE '0.9%'", "Invalid comparator 'LIKE' for metric 'acc'", '=, !=, <, <=, >, >='],
    ['metrics.acc IN (1)', "Invalid comparator 'IN' for metric 'acc'"],
    ['metrics.acc >= - 1', "unexpected character '-'"],
    ['params.lr = 0.01', "Expected a quoted string value for param 'lr'"],
    ["params.lr > '0.01'", "Invalid comparator '>' for param 'lr'"],
    ["start_time > '5'", "Expected a numeric value for attribute 'start_time'"],
    ["start_time LIKE '5%'", "Invalid comparator 'LIKE' for attribute 'start_time'"],
    ["status IN ('FINISHED')", "Invalid comparator 'IN' for attribute 'status'"],
    ["status > 'A'", "Invalid comparator '>' for attribute 'status'"],
    ['run_id = 5', "Expected a quoted string value for attribute 'run_id'"],
    ["run_id = ('ab')", 'Only IN and NOT IN compare with a list'],
    ["STATUS = 'x'", "Invalid attribute key 'STATUS'"],
    ["experiment_id = '1'", "Invalid attribute key 'experiment_id'", 'run_id, run_name'],
    ["datasets.source = 'x'", "Invalid dataset key 'source'", 'name, digest, context'],
    ["datasets.name > 'x'", "Invalid comparator '>' for dataset 'name'"],
    ["Metrics.acc > 1", "Invalid entity type 'Metrics'"],
    ["\"metrics\".acc > 1", "Invalid entity type '\"metrics\"'"],
    ['metrics.acc IS NULL', 'expected a comparator', "found 'IS'"],
  ])('refuses %s', (filter, ...fragments) => {
    expectInvalidInput(() => parseRunFilter(filter), ...fragments)
  })
})

describe('run search order_by', () => {
  const term = (kind: OrderTerm['kind'], key: string, ascending: boolean): OrderTerm => ({ kind, key, ascending })
  const newestFirst = term('attribute', 'start_time', false)
  const byRunId = term('attribute', 'run_id', true)

  it.each<[string[] | undefined, OrderTerm[]]>([
    [undefined, [newestFirst, byRunId]],
    [[], [newestFirst, byRunId]],
    [['metrics.rmse DESC'], [term('metric', 'rmse', false), newestFirst, byRunId]],
    [['metric.rmse', 'params.lr desc'], [term('metric', 'rmse', true), term('param', 'lr', false), newestFirst, byRunId]],
    [['tags.`mlflow.runName` ASC'], [term('tag', 'mlflow.runName', true), newestFirst, byRunId]],
    [['tags.mlflow.runName'], [term('tag', 'mlflow.runName', true), newestFirst, byRunId]],
    [['tags."my key" DESC'], [term('tag', 'my key', false), newestFirst, byRunId]],
    [["metrics.'val loss' DESC"], [term('metric', 'val loss', false), newestFirst, byRunId]],
    [['attributes.start_time'], [term('attribute', 'start_time', true), byRunId]],
    [['created DESC'], [newestFirst, byRunId]],
    [['Created'], [term('attribute', 'start_time', true), byRunId]],
    [['attribute.end_time'], [term('attribute', 'end_time', true), newestFirst, byRunId]],
    [['run_name DESC'], [term('attribute', 'run_name', false), newestFirst, byRunId]],
    [['status'], [term('attribute', 'status', true), newestFirst, byRunId]],
    [['run_id DESC'], [term('attribute', 'run_id', false), newestFirst]],
  ])('orders %j with start_time DESC and run_id ASC breaking ties', (orderBy, terms) => {
    expect(parseRunOrderBy(orderBy)).toEqual(terms)
  })

  it.each<[string[], ...string[]]>([
    [['datasets.name'], 'Dataset fields such as', 'cannot be used for ordering runs'],
    [['`run name` DESC'], "Invalid attribute key 'run name'"],
    [['timestamp'], "Invalid attribute key 'timestamp'"],
    [['foo.bar'], "Invalid entity type 'foo'"],
    [['metrics.a', 'metrics.a DESC'], 'duplicate fields'],
    [['metric.a', 'metrics.a'], 'duplicate fields'],
    [['created', 'start_time'], "attribute 'start_time' is already ordered"],
    [['metrics.rmse DESC NULLS LAST'], "Invalid order_by clause 'metrics.rmse DESC NULLS LAST'"],
    [['metrics.a b'], "the ordering 'b' is neither ASC nor DESC"],
    [['metrics.a, metrics.b'], "Invalid order_by clause 'metrics.a, metrics.b'"],
    [['5'], 'expected a field name'],
  ])('refuses %j', (orderBy, ...fragments) => {
    expectInvalidInput(() => parseRunOrderBy(orderBy), ...fragments)
  })
})
