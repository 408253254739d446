import { CompiledQuery, type Compilable, type Kysely } from 'kysely'
import { isDeepStrictEqual } from 'node:util'
import type { Database } from './database'
import type { DialectTraits } from './dialect-traits'

// SQL text of hot queries, compiled once per dialect: building and compiling a Kysely query costs more than running it.
const compiled = new Map<string, string>()

// Statement texts whose shape never changes: PostgreSQL may keep them parsed and planned per connection.
const fixedTexts = new Set<string>()

/** Marks a statement text as fixed, so the PostgreSQL driver prepares it once per connection instead of on every call. */
export function fixedStatement(sql: string): string {
  fixedTexts.add(sql)
  return sql
}

export function isFixedStatement(sql: string): boolean {
  return fixedTexts.has(sql)
}

/**
 * Runs a query whose shape never changes, compiling it only the first time. `build` must use exactly `parameters`, in
 * order; the first run checks that, so a mismatch fails loudly in tests instead of binding the wrong values.
 */
export async function runPrepared<R>(
  db: Kysely<Database>,
  traits: DialectTraits,
  key: string,
  parameters: readonly unknown[],
  build: () => Compilable<R>,
): Promise<R[]> {
  const cacheKey = `${traits.name}:${key}`
  let sql = compiled.get(cacheKey)
  if (sql === undefined) {
    const query = build().compile()
    if (!isDeepStrictEqual([...query.parameters], [...parameters])) {
      throw new Error(`prepared query '${key}' binds ${JSON.stringify(query.parameters)}, not the parameters given`)
    }
    sql = fixedStatement(query.sql)
    compiled.set(cacheKey, sql)
  }
  return (await db.executeQuery<R>(CompiledQuery.raw(sql, [...parameters]))).rows
}
