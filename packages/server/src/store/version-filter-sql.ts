import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Comparison, Condition, FilterNode, Value } from '../domain/version-filter'
import type { DialectTraits } from './dialect-traits'

// Operators arrive typed from the parser, so only these fixed texts reach the SQL; every value is a bound parameter.
const COMPARE: Record<Comparison, string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' }
const KEY_VALUE_TABLE = { metric: 'version_metrics', param: 'version_params', tag: 'version_tags' } as const
const COLUMN = { stage: 'v.stage', approval: 'v.approval_status', model: 'm.name', run_id: 'v.run_id' } as const

type Style = DialectTraits['relatedRows']
type Testable = Exclude<Condition, { op: 'IS NULL' | 'IS NOT NULL' }>
const isTest = (condition: Condition): condition is Testable => condition.op !== 'IS NULL' && condition.op !== 'IS NOT NULL'
const bind = (value: Value) => sql.val(value)
const TRUE = sql<SqlBool>`1 = 1`

/**
 * A parsed version filter as one SQL condition over `model_versions as v` joined to `registered_models as m`.
 * Key/value and alias conditions ask whether a related row exists, through the (key, value, version_id) and
 * (alias, version_id) indexes, so a missing key is simply absent: `metrics.auc > 0.9` is false for a version without
 * `auc`, and `NOT metrics.auc > 0.9` is true for it.
 */
export function versionFilterSql(node: FilterNode, style: Style): RawBuilder<SqlBool> {
  switch (node.kind) {
    case 'and':
    case 'or':
      return sql<SqlBool>`(${sql.join(
        node.items.map((item) => versionFilterSql(item, style)),
        sql.raw(node.kind === 'and' ? ' and ' : ' or '),
      )})`
    case 'not':
      return sql<SqlBool>`not ${versionFilterSql(node.item, style)}`
    case 'condition':
      return conditionSql(node, style)
  }
}

const DATASETS = sql`version_datasets as t inner join lineage_datasets as d on d.id = t.dataset_id`
const DATASET_COLUMN = { uri: 'd.uri', name: 'd.name', digest: 'd.digest', role: 't.role' } as const

/** "v has a row in `table` (aliased `t`, pointing at v through `owner`) that satisfies `where`". */
function related(style: Style, table: string | RawBuilder<unknown>, owner: string, where: RawBuilder<SqlBool>): RawBuilder<SqlBool> {
  const from = typeof table === 'string' ? sql`${sql.table(table)} as t` : table
  return style === 'exists'
    ? sql<SqlBool>`exists (select 1 from ${from} where t.${sql.ref(owner)} = v.id and ${where})`
    : sql<SqlBool>`v.id in (select t.${sql.ref(owner)} from ${from} where ${where})`
}

/** A condition on a set of related rows: positive forms ask whether one matches, negative forms whether none does. */
function anyOf(has: (where: RawBuilder<SqlBool>) => RawBuilder<SqlBool>, column: ReturnType<typeof sql.ref>, condition: Condition): RawBuilder<SqlBool> {
  if (!isTest(condition)) return condition.op === 'IS NULL' ? sql<SqlBool>`not ${has(TRUE)}` : has(TRUE)
  const positive = { '!=': '=', 'NOT IN': 'IN', 'NOT LIKE': 'LIKE', 'NOT ILIKE': 'ILIKE' } as const
  const flipped = positive[condition.op as keyof typeof positive]
  if (flipped) return sql<SqlBool>`not ${has(valueTest(column, { ...condition, op: flipped } as Testable))}`
  return has(valueTest(column, condition))
}

function conditionSql(condition: Condition, style: Style): RawBuilder<SqlBool> {
  const field = condition.field
  switch (field.kind) {
    case 'metric':
    case 'param':
    case 'tag': {
      const has = (where: RawBuilder<SqlBool>) => related(style, KEY_VALUE_TABLE[field.kind], 'version_id', sql<SqlBool>`t.key = ${field.key} and ${where}`)
      if (!isTest(condition)) return condition.op === 'IS NULL' ? sql<SqlBool>`not ${has(TRUE)}` : has(TRUE)
      // A comparison needs the key: != and NOT IN match versions that have the key with another value.
      return has(valueTest(sql.ref('t.value'), condition))
    }
    case 'alias':
      // A version has a set of aliases: `alias = 'x'` asks whether x is among them, and the negative forms whether it is not.
      return anyOf((where) => related(style, 'model_aliases', 'version_id', where), sql.ref('t.alias'), condition)
    case 'dataset':
      return anyOf((where) => related(style, DATASETS, 'version_id', where), sql.ref(DATASET_COLUMN[field.attribute]), condition)
    case 'created':
      // SQLite: through the (created_at, id) index even when the page order (by id) tempts it to walk every row.
      return style === 'exists'
        ? valueTest(sql.ref('v.created_at'), condition as Testable)
        : related(style, 'model_versions', 'id', valueTest(sql.ref('t.created_at'), condition as Testable))
    default: {
      const column = sql.ref(COLUMN[field.kind])
      if (!isTest(condition)) return condition.op === 'IS NULL' ? sql<SqlBool>`${column} is null` : sql<SqlBool>`${column} is not null`
      // run_id may be NULL: say "false" rather than "unknown" there, so NOT flips it to true.
      return field.kind === 'run_id' ? sql<SqlBool>`(${column} is not null and ${valueTest(column, condition)})` : valueTest(column, condition)
    }
  }
}

/** LIKE is case-sensitive on both databases (SQLite runs with case_sensitive_like); ILIKE compares lower-cased. */
function valueTest(column: ReturnType<typeof sql.ref>, condition: Testable): RawBuilder<SqlBool> {
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
