/** MLflow 2.17's search grammar: filter strings, order_by clauses and page tokens, parsed into typed terms. */
export type { ClauseKind, Comparator, FilterClause, OrderTerm } from './types'
export { parseRegisteredModelFilter, parseRegisteredModelOrderBy } from './registered-models'
export { parseModelVersionFilter, parseModelVersionOrderBy } from './model-versions'
export { parseRunFilter, parseRunOrderBy } from './runs'
export { parseExperimentFilter, parseExperimentOrderBy } from './experiments'
export { decodePageToken, encodePageToken } from './page-token'
