import type { FileEntry } from '@canon/api'
import { CanonError } from '../../domain/errors'
import { resolveUri } from '../resolve.service'
import type { ServiceDeps } from '../context'
import { manifestUnder } from './artifacts.service'

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/

/**
 * Turns an MLflow model-version source into the files Canon stores: `runs:/`, `mlflow-artifacts:/` and `models:/` resolve
 * to stored artifacts with digests; other remote URIs stay external pointers; a local path is refused unless it lies in
 * the given run's (local) artifact directory.
 */
export async function resolveVersionSource(deps: ServiceDeps, source: string, runId?: string): Promise<FileEntry[]> {
  checkNoTraversal(source)
  const scheme = SCHEME.exec(source)?.[1]?.toLowerCase()
  if (scheme === 'runs') {
    const match = /^runs:\/([^/]+)(?:\/(.*))?$/.exec(source)
    if (!match?.[1]) throw invalid(source, "expected 'runs:/<run_id>/<path>'")
    const run = await deps.store.runs.byId(match[1])
    if (!run) throw new CanonError('RUN_NOT_FOUND', `Run with id=${match[1]} not found`, { runId: match[1] })
    const root = proxiedPath(run.artifact_uri)
    if (root === null) return []
    return manifestUnder(deps, [root, match[2] ?? ''].filter(Boolean).join('/'))
  }
  if (scheme === 'mlflow-artifacts') {
    const path = proxiedPath(source)
    if (path === null) throw invalid(source, "expected 'mlflow-artifacts:/<path>'")
    return manifestUnder(deps, path)
  }
  if (scheme === 'models') {
    return (await resolveUri(deps, source)).files
  }
  if (scheme && scheme !== 'file' && scheme.length > 1) return []
  return localSource(deps, source, runId)
}

/** The path inside Canon's proxied artifact store, or null when the URI points elsewhere. */
export function proxiedPath(uri: string): string | null {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(uri)
  return match ? (match[1] ?? '').replace(/\/+$/, '') : null
}

async function localSource(deps: ServiceDeps, source: string, runId?: string): Promise<FileEntry[]> {
  const path = source.replace(/^file:(\/\/)?/, '')
  const run = runId ? await deps.store.runs.byId(runId) : undefined
  const root = run?.artifact_uri.replace(/^file:(\/\/)?/, '')
  if (run && root && !SCHEME.test(run.artifact_uri.replace(/^file:/, '')) && (path === root || path.startsWith(`${root}/`))) return []
  throw invalid(source, "a local path is only accepted inside the artifact directory of the run given as run_id; upload the model through the tracking server and register 'runs:/<run_id>/<path>'")
}

function checkNoTraversal(source: string): void {
  let decoded = source
  for (let i = 0; i < 5; i++) {
    let next: string
    try {
      next = decodeURIComponent(decoded)
    } catch {
      break
    }
    if (next === decoded) break
    decoded = next
  }
  if (decoded.includes('\0') || decoded.split(/[/\\]/).includes('..')) throw invalid(source, "it may not contain '..' or NUL")
}

function invalid(source: string, why: string): CanonError {
  return new CanonError('INVALID_INPUT', `Invalid model version source: '${source.slice(0, 300)}': ${why}.`, { source: source.slice(0, 300) })
}
