/** 'key=value' lines (or comma-separated) into a record; a line without '=' is a key with an empty value. */
export function parsePairs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const raw of text.split(/[\n,]/)) {
    const line = raw.trim()
    if (!line) continue
    const at = line.indexOf('=')
    if (at < 0) out[line] = ''
    else out[line.slice(0, at).trim()] = line.slice(at + 1).trim()
  }
  return out
}

/** Like parsePairs, with numeric values (metrics); a value that is not a number is an error naming the key. */
export function parseMetrics(text: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [key, value] of Object.entries(parsePairs(text))) {
    const n = Number(value)
    if (value === '' || !Number.isFinite(n)) throw new Error(`Metric '${key}' needs a number, got '${value}'.`)
    out[key] = n
  }
  return out
}
