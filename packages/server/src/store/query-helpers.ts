/** Escapes LIKE wildcards so user text matches literally (used with ESCAPE '\'). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

export function groupKeyValues<V>(rows: { owner: number; key: string; value: V }[]): Map<number, Record<string, V>> {
  const grouped = new Map<number, Record<string, V>>()
  for (const row of rows) {
    let record = grouped.get(row.owner)
    if (!record) grouped.set(row.owner, (record = {}))
    record[row.key] = row.value
  }
  return grouped
}

/** Splits rows into batches that stay under every dialect's bound-parameter limit. */
export function* chunks<T>(items: T[], size = 500): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size)
}
