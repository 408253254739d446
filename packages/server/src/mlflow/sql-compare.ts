import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely'
import type { Comparator, FilterClause } from './search/types'

// Comparators arrive typed from the parser, so only these fixed operator texts ever reach the SQL.
const operators: Record<'=' | '!=' | '<' | '<=' | '>' | '>=', string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' }

/**
 * One MLflow comparison as a bound SQL condition. LIKE is case-sensitive on both databases (SQLite runs with
 * case_sensitive_like), ILIKE compares lower-cased; values are always parameters, never spliced.
 */
export function compare(column: Expression<unknown>, comparator: Comparator, value: string | number | string[]): RawBuilder<SqlBool> {
  switch (comparator) {
    case 'LIKE':
      return sql<SqlBool>`${column} like ${value}`
    case 'ILIKE':
      return sql<SqlBool>`lower(${column}) like lower(${value})`
    case 'IN':
    case 'NOT IN': {
      const list = value as string[]
      if (list.length === 0) return comparator === 'IN' ? sql<SqlBool>`1 = 0` : sql<SqlBool>`1 = 1`
      return comparator === 'IN' ? sql<SqlBool>`${column} in (${sql.join(list)})` : sql<SqlBool>`${column} not in (${sql.join(list)})`
    }
    default:
      return sql<SqlBool>`${column} ${sql.raw(operators[comparator])} ${value}`
  }
}

/**
 * EXISTS a row of a key/value table (tags, params, latest metrics) that belongs to the outer row, has the clause's key
 * and a value passing its comparison. `extra` narrows the row further (e.g. no NaN metrics).
 */
export function keyValueMatches(table: string, ownerColumn: string, outer: string, clause: FilterClause, extra?: RawBuilder<SqlBool>): RawBuilder<SqlBool> {
  const value = sql.ref('k.value')
  return sql<SqlBool>`exists (select 1 from ${sql.table(table)} as k where k.${sql.ref(ownerColumn)} = ${sql.ref(outer)} and k.key = ${clause.key}${extra ? sql` and ${extra}` : sql``} and ${compare(value, clause.comparator, clause.value)})`
}
