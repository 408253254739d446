import { parseFilter, STRING_FIELD, type FilterSpec } from './filter-parser'
import { orderableFields, parseOrderBy, type OrderBySpec } from './order-by'
import type { FilterClause, OrderTerm } from './types'

const filterSpec: FilterSpec = {
  usage: 'searching registered models',
  prefixes: { attribute: 'attribute', tag: 'tag', tags: 'tag' },
  backtickedPrefixes: false,
  quotedAttributeKeys: false,
  fixed: { attribute: { name: { key: 'name', ...STRING_FIELD } } },
  open: { tag: STRING_FIELD },
}

const orderBySpec: OrderBySpec = {
  usage: 'ordering registered models',
  table: {
    prefixes: {},
    backtickedPrefixes: false,
    quotedAttributeKeys: true,
    // MLflow's SQL store sorts both timestamp keys by last-update time and refuses creation_timestamp.
    fixed: { attribute: orderableFields(['name', 'last_updated_timestamp'], { timestamp: 'last_updated_timestamp' }) },
    open: {},
  },
  defaults: [],
  tieBreakers: [{ kind: 'attribute', key: 'name', ascending: true }],
  refusesDuplicates: true,
}

/** `name` (=, !=, LIKE, ILIKE) and `tags.<key>` (=, !=, LIKE, ILIKE), as registered-models/search reads them. */
export function parseRegisteredModelFilter(filter: string | undefined): FilterClause[] {
  return parseFilter(filter, filterSpec)
}

/** Keys `name`, `timestamp` / `last_updated_timestamp` (→ last_updated_timestamp); `name ASC` breaks ties. */
export function parseRegisteredModelOrderBy(orderBy: string[] | undefined): OrderTerm[] {
  return parseOrderBy(orderBy, orderBySpec)
}
