import { NUMERIC_FIELD, parseFilter, STRING_FIELD, type FieldRule, type FilterSpec } from './filter-parser'
import { orderableFields, parseOrderBy, type OrderBySpec } from './order-by'
import type { ClauseKind, FilterClause, OrderTerm } from './types'

const RUN_PREFIXES: Readonly<Record<string, ClauseKind>> = {
  metric: 'metric',
  metrics: 'metric',
  parameter: 'param',
  parameters: 'param',
  param: 'param',
  params: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
}

const listable: FieldRule = { value: 'string', comparators: ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'] }
const runId: FieldRule = { ...listable, dropNonLowercaseListValues: true }

const filterSpec: FilterSpec = {
  usage: 'searching runs',
  prefixes: RUN_PREFIXES,
  backtickedPrefixes: true,
  quotedAttributeKeys: true,
  fixed: {
    attribute: {
      run_id: { key: 'run_id', ...runId },
      run_name: { key: 'run_name', ...STRING_FIELD },
      'run name': { key: 'run_name', ...STRING_FIELD },
      'Run name': { key: 'run_name', ...STRING_FIELD },
      'Run Name': { key: 'run_name', ...STRING_FIELD },
      user_id: { key: 'user_id', ...STRING_FIELD },
      status: { key: 'status', ...STRING_FIELD },
      artifact_uri: { key: 'artifact_uri', ...STRING_FIELD },
      start_time: { key: 'start_time', ...NUMERIC_FIELD },
      created: { key: 'start_time', ...NUMERIC_FIELD },
      Created: { key: 'start_time', ...NUMERIC_FIELD },
      end_time: { key: 'end_time', ...NUMERIC_FIELD },
    },
    dataset: {
      name: { key: 'name', ...listable },
      digest: { key: 'digest', ...listable },
      context: { key: 'context', ...listable },
    },
  },
  open: { metric: NUMERIC_FIELD, param: STRING_FIELD, tag: STRING_FIELD },
}

const orderBySpec: OrderBySpec = {
  usage: 'ordering runs',
  table: {
    prefixes: RUN_PREFIXES,
    backtickedPrefixes: true,
    quotedAttributeKeys: true,
    fixed: {
      attribute: orderableFields(['run_id', 'run_name', 'user_id', 'status', 'start_time', 'end_time', 'artifact_uri'], {
        created: 'start_time',
        Created: 'start_time',
      }),
    },
    open: { metric: {}, param: {}, tag: {} },
  },
  defaults: [],
  tieBreakers: [
    { kind: 'attribute', key: 'start_time', ascending: false },
    { kind: 'attribute', key: 'run_id', ascending: true },
  ],
  refusesDuplicates: true,
}

/**
 * Run attributes (`run_id`, `run_name`, `user_id`, `status`, `artifact_uri`: =, !=, LIKE, ILIKE, and IN / NOT IN
 * lists for run_id; `start_time`, `end_time`: numeric), `metrics.<key>` (numeric), `params.<key>`, `tags.<key>`
 * (=, !=, LIKE, ILIKE) and `datasets.name|digest|context` (string comparators and lists), as runs/search reads them.
 */
export function parseRunFilter(filter: string | undefined): FilterClause[] {
  return parseFilter(filter, filterSpec)
}

/** Attributes, metrics, params and tags; `start_time DESC` (if absent) and `run_id ASC` break ties. */
export function parseRunOrderBy(orderBy: string[] | undefined): OrderTerm[] {
  return parseOrderBy(orderBy, orderBySpec)
}
