import type { Stage } from '@canon/api'
import { CanonError } from './errors'
import { parseStage } from './stages'

export type VersionSelector =
  | { kind: 'number'; version: number }
  | { kind: 'stage'; stage: Stage }
  | { kind: 'alias'; alias: string }
  | { kind: 'latest' }
  | { kind: 'latestApproved' }

export interface ModelReference {
  model: string
  selector: VersionSelector
}

const SCHEMES = ['models:/', 'model://'] as const

/**
 * Parses `models:/m/3`, `models:/m/Production`, `models:/m@alias`, `models:/m/latest`, `model://m/v3`, `model://m@alias`
 * and `model://m/latest` (the highest approved version).
 * Model names may contain '/', so the selector is always the last segment.
 */
export function parseModelUri(uri: string): ModelReference {
  const scheme = SCHEMES.find((s) => uri.startsWith(s))
  if (!scheme) throw invalid(uri, "it must start with 'models:/' or 'model://'")
  const rest = uri.slice(scheme.length)
  const at = rest.lastIndexOf('@')
  if (at >= 0 && !rest.slice(at).includes('/')) {
    const model = rest.slice(0, at)
    const alias = rest.slice(at + 1)
    if (!model || !alias) throw invalid(uri, 'it needs a model name before @ and an alias after it')
    return { model, selector: { kind: 'alias', alias } }
  }
  const slash = rest.lastIndexOf('/')
  if (slash <= 0 || slash === rest.length - 1) throw invalid(uri, "it needs '<model>/<version>' or '<model>@<alias>'")
  const model = rest.slice(0, slash)
  const tail = rest.slice(slash + 1)
  return { model, selector: scheme === 'model://' ? canonSelector(uri, tail) : mlflowSelector(uri, tail) }
}

function mlflowSelector(uri: string, tail: string): VersionSelector {
  if (/^\d+$/.test(tail)) return { kind: 'number', version: positive(uri, tail) }
  if (tail.toLowerCase() === 'latest') return { kind: 'latest' }
  const stage = parseStage(tail)
  if (stage) return { kind: 'stage', stage }
  throw invalid(uri, `'${tail}' is neither a version number, 'latest', nor a stage (None, Staging, Production, Archived)`)
}

function canonSelector(uri: string, tail: string): VersionSelector {
  // In Canon's own scheme 'latest' means the newest version an approver signed off, not merely the newest.
  if (tail === 'latest') return { kind: 'latestApproved' }
  const match = /^v(\d+)$/.exec(tail)
  if (match?.[1]) return { kind: 'number', version: positive(uri, match[1]) }
  throw invalid(uri, `model:// URIs name a version as 'v<number>' or an alias as '@<alias>'; got '${tail}'`)
}

function positive(uri: string, digits: string): number {
  const n = Number(digits)
  if (!Number.isSafeInteger(n) || n < 1) throw invalid(uri, 'version numbers start at 1')
  return n
}

function invalid(uri: string, why: string): CanonError {
  return new CanonError('INVALID_URI', `Model URI '${uri.slice(0, 300)}' is not valid: ${why}.`, { uri: uri.slice(0, 300) })
}
