import { NUMERIC_FIELD, parseFilter, STRING_FIELD, type FilterSpec } from './filter-parser'
import { orderableFields, parseOrderBy, type OrderBySpec } from './order-by'
import type { FilterClause, OrderTerm } from './types'

const filterSpec: FilterSpec = {
  usage: 'searching experiments',
  prefixes: { attribute: 'attribute', tag: 'tag', tags: 'tag' },
  backtickedPrefixes: false,
  quotedAttributeKeys: true,
  fixed: {
    attribute: {
      name: { key: 'name', ...STRING_FIELD },
      creation_time: { key: 'creation_time', ...NUMERIC_FIELD },
      last_update_time: { key: 'last_update_time', ...NUMERIC_FIELD },
    },
  },
  open: { tag: STRING_FIELD },
}

const orderBySpec: OrderBySpec = {
  usage: 'ordering experiments',
  table: {
    prefixes: { attribute: 'attribute', tag: 'tag', tags: 'tag' },
    backtickedPrefixes: false,
    quotedAttributeKeys: true,
    fixed: { attribute: orderableFields(['name', 'experiment_id', 'creation_time', 'last_update_time']) },
    open: {},
  },
  defaults: ['creation_time DESC', 'experiment_id ASC'],
  // MLflow's tie-breaker for experiments is descending, unlike its default order's experiment_id ASC.
  tieBreakers: [{ kind: 'attribute', key: 'experiment_id', ascending: false }],
  refusesDuplicates: false,
}

/** `name` (=, !=, LIKE, ILIKE), `creation_time`, `last_update_time` (numeric) and `tags.<key>`, as experiments/search reads them. */
export function parseExperimentFilter(filter: string | undefined): FilterClause[] {
  return parseFilter(filter, filterSpec)
}

/** Keys `name`, `experiment_id`, `creation_time`, `last_update_time`; default creation_time DESC, experiment_id ASC. */
export function parseExperimentOrderBy(orderBy: string[] | undefined): OrderTerm[] {
  return parseOrderBy(orderBy, orderBySpec)
}
