import { NUMERIC_FIELD, parseFilter, STRING_FIELD, type FilterSpec } from './filter-parser'
import { orderableFields, parseOrderBy, type OrderBySpec } from './order-by'
import type { FilterClause, OrderTerm } from './types'

const filterSpec: FilterSpec = {
  usage: 'searching model versions',
  prefixes: { attribute: 'attribute', tag: 'tag', tags: 'tag' },
  backtickedPrefixes: false,
  quotedAttributeKeys: false,
  fixed: {
    attribute: {
      name: { key: 'name', ...STRING_FIELD },
      // IN but not NOT IN: MLflow's model-version store allows only IN.
      run_id: { key: 'run_id', value: 'string', comparators: ['=', '!=', 'LIKE', 'ILIKE', 'IN'], dropNonLowercaseListValues: true },
      source_path: { key: 'source_path', ...STRING_FIELD },
      // MLflow also takes version_number = '3' (it compares the text to the version column).
      version_number: { key: 'version_number', ...NUMERIC_FIELD, acceptsQuotedIntegers: true },
    },
  },
  open: { tag: STRING_FIELD },
}

const orderBySpec: OrderBySpec = {
  usage: 'ordering model versions',
  table: {
    prefixes: { attribute: 'attribute', tag: 'tag', tags: 'tag' },
    backtickedPrefixes: false,
    quotedAttributeKeys: true,
    fixed: { attribute: orderableFields(['name', 'version_number', 'creation_timestamp', 'last_updated_timestamp']) },
    open: {},
  },
  defaults: ['last_updated_timestamp DESC', 'name ASC', 'version_number DESC'],
  tieBreakers: [
    { kind: 'attribute', key: 'name', ascending: true },
    { kind: 'attribute', key: 'version_number', ascending: false },
  ],
  refusesDuplicates: true,
}

/**
 * `name`, `source_path` (the version's source), `run_id` (also `IN ('…')`), `version_number` (numeric)
 * and `tags.<key>`, as model-versions/search reads them.
 */
export function parseModelVersionFilter(filter: string | undefined): FilterClause[] {
  return parseFilter(filter, filterSpec)
}

/**
 * Keys `name`, `version_number`, `creation_timestamp`, `last_updated_timestamp`. Without order_by:
 * last_updated_timestamp DESC, name ASC, version_number DESC; otherwise `name ASC`, `version_number DESC` break ties.
 */
export function parseModelVersionOrderBy(orderBy: string[] | undefined): OrderTerm[] {
  return parseOrderBy(orderBy, orderBySpec)
}
