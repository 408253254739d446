export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC'
}

export function formatNumber(value: number | undefined): string {
  if (value === undefined) return '—'
  return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, '')
}

export const shortDigest = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12)

/** Paths within the UI; model names may hold '/' and spaces, so they are encoded as one segment. */
export const to = {
  models: () => '/models',
  model: (model: string) => `/models/${encodeURIComponent(model)}`,
  version: (model: string, version: number, tab?: string) => `/models/${encodeURIComponent(model)}/versions/${version}${tab ? `?tab=${tab}` : ''}`,
  upload: (model: string) => `/models/${encodeURIComponent(model)}/upload`,
  compare: (model: string, versions: number[]) => `/models/${encodeURIComponent(model)}/compare?versions=${versions.join(',')}`,
  audit: (query: Record<string, string> = {}) => `/audit${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`,
}
