import { sql, type Expression, type SqlBool } from 'kysely'
import type { Visibility } from '../domain/permissions'

/** A condition on a model-name column that keeps only the models a principal may see. */
export function visibleModels(column: Expression<string> | ReturnType<typeof sql.ref>, visibility: Visibility): Expression<SqlBool> {
  if (visibility.all) return sql<SqlBool>`1 = 1`
  const conditions = [
    ...(visibility.names.length > 0 ? [sql<SqlBool>`${column} in (${sql.join(visibility.names)})`] : []),
    ...visibility.prefixes.map((prefix) => sql<SqlBool>`substr(${column}, 1, ${prefix.length}) = ${prefix}`),
  ]
  return conditions.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`(${sql.join(conditions, sql` or `)})`
}
