import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { Comparator } from './search/types'

/**
 * One MLflow comparison as a bound SQL condition. LIKE is case-sensitive on both databases (SQLite runs with
 * case_sensitive_like), ILIKE compares lower-cased; values are always parameters, never spliced.
 */
export function compare<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  column: Expression<unknown>,
  comparator: Comparator,
  value: string | number | string[],
): Expression<SqlBool> {
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
      return eb(column as never, comparator === '!=' ? '<>' : comparator, value as never) as Expression<SqlBool>
  }
}
