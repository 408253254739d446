export type { Comparison, Condition, FilterField, FilterNode, Value } from './ast'
export { parseVersionFilter } from './parser'
