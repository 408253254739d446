import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Comparison, Condition, FilterNode, Value } from '../domain/version-filter'

// Operators arrive typed from the parser, so only these fixed texts reach the SQL; every value is a bound parameter.
const COMPARE: Record<Comparison, string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' }
const KEY_VALUE_TABLE = { metric: 'version_metrics', param: 'version_params', tag: 'version_tags' } as const
const COLUMN = { stage: 'v.stage', approval: 'v.approval_status', model: 'm.name', run_id: 'v.run_id' } as const

/**
 * A parsed version filter as one SQL condition over `model_versions as v` joined to `registered_models as m`.
 * Key/value and alias conditions are `v.id IN (subquery)` on (key, value, version_id) and (alias, version_id)
 * indexes, so a missing key is simply not in the set: `metrics.auc > 0.9` is false for a version without `auc`,
 * and `NOT metrics.auc > 0.9` is true for it.
 */
export function versionFilterSql(node: FilterNode): RawBuilder<SqlBool> {
  switch (node.kind) {
    case 'and':
    case 'or':
      return sql<SqlBool>`(${sql.join(node.items.map(versionFilterSql), sql.raw(node.kind === 'and' ? ' and ' : ' or '))})`
    case 'not':
      return sql<SqlBool>`not ${versionFilterSql(node.item)}`
    case 'condition':
      return conditionSql(node)
  }
}

function conditionSql(condition: Condition): RawBuilder<SqlBool> {
  const field = condition.field
  switch (field.kind) {
    case 'metric':
    case 'param':
    case 'tag': {
      const table = sql.table(KEY_VALUE_TABLE[field.kind])
      const ids = (where: RawBuilder<SqlBool>) => sql<SqlBool>`v.id in (select kv.version_id from ${table} as kv where kv.key = ${field.key}${where})`
      if (!isTest(condition)) return condition.op === 'IS NULL' ? sql<SqlBool>`not ${ids(sql``)}` : ids(sql``)
      // A comparison needs the key: != and NOT IN match versions that have the key with another value.
      return ids(sql` and ${valueTest(sql.ref('kv.value'), condition)}`)
    }
    case 'alias': {
      // A version has a set of aliases: `alias = 'x'` asks whether x is among them, and the negative forms whether it is not.
      const ids = (where: RawBuilder<SqlBool>) => sql<SqlBool>`v.id in (select a.version_id from model_aliases as a where ${where})`
      if (!isTest(condition)) return condition.op === 'IS NULL' ? sql<SqlBool>`not ${ids(sql`1 = 1`)}` : ids(sql`1 = 1`)
      switch (condition.op) {
        case '!=':
          return sql<SqlBool>`not ${ids(valueTest(sql.ref('a.alias'), { ...condition, op: '=' }))}`
        case 'NOT IN':
          return sql<SqlBool>`not ${ids(valueTest(sql.ref('a.alias'), { ...condition, op: 'IN' }))}`
        case 'NOT LIKE':
        case 'NOT ILIKE':
          return sql<SqlBool>`not ${ids(valueTest(sql.ref('a.alias'), { ...condition, op: condition.op === 'NOT LIKE' ? 'LIKE' : 'ILIKE' }))}`
        default:
          return ids(valueTest(sql.ref('a.alias'), condition))
      }
    }
    case 'created':
      // Through the (created_at, id) index even when the page order (by id) tempts the planner to walk every row.
      return sql<SqlBool>`v.id in (select c.id from model_versions as c where ${valueTest(sql.ref('c.created_at'), condition as Testable)})`
    default: {
      const column = sql.ref(COLUMN[field.kind])
      if (!isTest(condition)) return condition.op === 'IS NULL' ? sql<SqlBool>`${column} is null` : sql<SqlBool>`${column} is not null`
      // run_id may be NULL: say "false" rather than "unknown" there, so NOT flips it to true.
      return field.kind === 'run_id' ? sql<SqlBool>`(${column} is not null and ${valueTest(column, condition)})` : valueTest(column, condition)
    }
  }
}

type Testable = Exclude<Condition, { op: 'IS NULL' | 'IS NOT NULL' }>
const isTest = (condition: Condition): condition is Testable => condition.op !== 'IS NULL' && condition.op !== 'IS NOT NULL'

/** LIKE is case-sensitive on both databases (SQLite runs with case_sensitive_like); ILIKE compares lower-cased. */
function valueTest(column: RawBuilder<unknown> | ReturnType<typeof sql.ref>, condition: Testable): RawBuilder<SqlBool> {
  switch (condition.op) {
    case 'LIKE':
      return sql<SqlBool>`${column} like ${condition.value}`
    case 'NOT LIKE':
      return sql<SqlBool>`${column} not like ${condition.value}`
    case 'ILIKE':
      return sql<SqlBool>`lower(${column}) like lower(${condition.value})`
    case 'NOT ILIKE':
      return sql<SqlBool>`lower(${column}) not like lower(${condition.value})`
    case 'IN':
      return sql<SqlBool>`${column} in (${sql.join(condition.values.map(bind))})`
    case 'NOT IN':
      return sql<SqlBool>`${column} not in (${sql.join(condition.values.map(bind))})`
    default:
      return sql<SqlBool>`${column} ${sql.raw(COMPARE[condition.op])} ${bind(condition.value)}`
  }
}

const bind = (value: Value) => sql.val(value)
