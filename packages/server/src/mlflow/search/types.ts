/** The comparators MLflow's search grammar knows; each field allows a subset. */
export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN'

/** What a filter or order_by field refers to: an entity column, or a keyed tag/metric/param/dataset field. */
export type ClauseKind = 'attribute' | 'tag' | 'metric' | 'param' | 'dataset'

/**
 * One condition of an AND-ed filter. `value` is a number for numeric fields, a string[] for IN / NOT IN
 * (possibly empty: MLflow drops run ids that are not lowercase, so an empty list matches nothing), else a string.
 * LIKE / ILIKE patterns are kept as given: `%` and `_` are the SQL wildcards, with no escape character.
 */
export interface FilterClause {
  kind: ClauseKind
  key: string
  comparator: Comparator
  value: string | number | string[]
}

export interface OrderTerm {
  kind: ClauseKind
  key: string
  ascending: boolean
}

export const STRING_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE'] as const satisfies readonly Comparator[]
export const NUMERIC_COMPARATORS = ['=', '!=', '<', '<=', '>', '>='] as const satisfies readonly Comparator[]
export const LIST_COMPARATORS = ['IN', 'NOT IN'] as const satisfies readonly Comparator[]
