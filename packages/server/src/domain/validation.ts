import { ALIAS_PATTERN, DIGEST_PATTERN, Limits } from '@canon/api'
import { CanonError } from './errors'

const MODEL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_./ -]*$/
const ALIAS = new RegExp(ALIAS_PATTERN)
const RESERVED_ALIAS = /^(latest|v\d+)$/i
const DIGEST = new RegExp(DIGEST_PATTERN)

export function checkModelName(name: string): string {
  if (name.length < 1 || name.length > Limits.modelName) {
    throw new CanonError('INVALID_NAME', `Model names are 1 to ${Limits.modelName} characters long; got ${name.length}.`, { name: name.slice(0, 64) })
  }
  if (!MODEL_NAME.test(name) || name.endsWith(' ')) {
    throw new CanonError(
      'INVALID_NAME',
      `Model name '${name.slice(0, 64)}' is not allowed: use letters, digits, '_', '-', '.', '/' and spaces, starting with a letter, digit or '_' and not ending with a space.`,
      { name: name.slice(0, 64) },
    )
  }
  return name
}

export function checkAlias(alias: string): string {
  if (!ALIAS.test(alias)) {
    throw new CanonError('INVALID_ALIAS', `Alias '${alias.slice(0, 64)}' is not allowed: use 1 to 255 letters, digits, '_' or '-'.`, { alias: alias.slice(0, 64) })
  }
  if (RESERVED_ALIAS.test(alias)) {
    throw new CanonError('INVALID_ALIAS', `Alias '${alias}' is reserved: 'latest' and 'v<number>' already have a meaning in model URIs.`, { alias })
  }
  return alias
}

export function checkDigest(digest: string): string {
  if (!DIGEST.test(digest)) {
    throw new CanonError('INVALID_DIGEST', `'${digest.slice(0, 80)}' is not a digest: expected 'sha256:' followed by 64 lowercase hex characters.`)
  }
  return digest
}

/** Artifact paths are relative, forward-slashed and never climb out of the version. */
export function checkFilePath(path: string): string {
  const problem = filePathProblem(path)
  if (problem) throw new CanonError('INVALID_PATH', `File path '${path.replace(/\0/g, '\\0').slice(0, 200)}' is not allowed: ${problem}.`, { path: path.replace(/\0/g, '\\0').slice(0, 200) })
  return path
}

function filePathProblem(path: string): string | null {
  if (path.length === 0) return 'it is empty'
  if (path.length > Limits.filePath) return `it is longer than ${Limits.filePath} characters`
  if (path.includes('\0')) return 'it contains a NUL character'
  if (path.includes('\\')) return "it contains a backslash; use '/'"
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'it is absolute; use a path relative to the version'
  const segments = path.split('/')
  if (segments.some((s) => s === '..')) return "it contains '..'"
  if (segments.some((s) => s === '' || s === '.')) return "it has an empty or '.' segment"
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'it contains a control character'
  return null
}

export function checkTags(tags: Record<string, string> | undefined): Record<string, string> {
  const entries = Object.entries(tags ?? {})
  if (entries.length > Limits.tagsPerEntity) {
    throw new CanonError('INVALID_INPUT', `At most ${Limits.tagsPerEntity} tags are allowed; got ${entries.length}.`)
  }
  for (const [key] of entries) checkTagKey(key)
  return Object.fromEntries(entries)
}

export function checkTagKey(key: string): string {
  if (key.length < 1 || key.length > Limits.tagKey) {
    throw new CanonError('INVALID_INPUT', `Tag keys are 1 to ${Limits.tagKey} characters long.`, { key: key.slice(0, 64) })
  }
  return key
}

export function checkMetrics(metrics: Record<string, number> | undefined): Record<string, number> {
  const entries = Object.entries(metrics ?? {})
  if (entries.length > Limits.metricsPerVersion) {
    throw new CanonError('INVALID_INPUT', `At most ${Limits.metricsPerVersion} metrics are allowed; got ${entries.length}.`)
  }
  for (const [key, value] of entries) {
    if (!Number.isFinite(value)) throw new CanonError('INVALID_INPUT', `Metric '${key}' must be a finite number.`, { metric: key })
  }
  return Object.fromEntries(entries)
}
