import { Readable } from 'node:stream'
import type { FileEntry } from '@canon/api'
import { CanonError } from '../../domain/errors'
import type { ServiceDeps } from '../context'

/** Versions are served read-only under this prefix of `mlflow-artifacts:/`, from their immutable manifests. */
export const VERSION_PREFIX = '_canon/model-versions'

export interface ArtifactListing {
  path: string
  isDir: boolean
  size?: number
}

/** Artifact paths are relative and never climb out; `#` and `\` are refused as MLflow refuses them. */
export function checkArtifactPath(path: string): string {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw invalidPath(path)
  const clean = path.replace(/\/+$/, '')
  if (clean.includes('\\') || clean.includes('#') || clean.includes('\0') || clean.split('/').some((s) => s === '..' || s === '.')) throw invalidPath(path)
  return clean
}

const invalidPath = (path: string) => new CanonError('INVALID_PATH', `Invalid path: '${path.replace(/\0/g, '\\0').slice(0, 200)}'`, { path: path.replace(/\0/g, '\\0').slice(0, 200) })

export async function putArtifact(deps: ServiceDeps, rawPath: string, body: Readable): Promise<void> {
  const path = checkArtifactPath(rawPath)
  if (!path) throw invalidPath(rawPath)
  if (path === VERSION_PREFIX || path.startsWith(`${VERSION_PREFIX}/`) || path === '_canon') {
    throw new CanonError('INVALID_PATH', `'${path}' is read-only: registered versions are immutable.`)
  }
  const { digest, size } = await deps.blobs.ingest(body, { maxBytes: deps.maxBlobBytes })
  await deps.store.artifacts.put({ path, digest, size }, deps.clock())
}

/** Finds the blob behind an artifact path: a proxied file, or a file of a registered version. */
export async function findArtifact(deps: ServiceDeps, rawPath: string): Promise<{ digest: string; size: number; path: string }> {
  const path = checkArtifactPath(rawPath)
  const versionFile = await versionFiles(deps, path)
  if (versionFile) {
    const file = versionFile.files.find((f) => f.path === versionFile.rest)
    if (file) return { digest: file.digest, size: file.size, path }
  } else {
    const entry = await deps.store.artifacts.get(path)
    if (entry) return { digest: entry.digest, size: Number(entry.size), path }
  }
  throw new CanonError('ARTIFACT_NOT_FOUND', `No artifact at '${path}'.`, { path })
}

/** Immediate children of a directory: files with sizes, and sub-directories. A file or missing path lists as nothing. */
export async function listArtifacts(deps: ServiceDeps, rawDirectory: string, limit = 100_000): Promise<ArtifactListing[]> {
  const directory = checkArtifactPath(rawDirectory)
  const versionFile = await versionFiles(deps, directory)
  const entries: { path: string; size: number }[] = versionFile
    ? versionFile.files
        .filter((f) => !versionFile.rest || f.path.startsWith(`${versionFile.rest}/`))
        .map((f) => ({ path: versionFile.rest ? f.path.slice(versionFile.rest.length + 1) : f.path, size: f.size }))
    : (await deps.store.artifacts.under(directory, limit)).map((e) => ({ path: directory ? e.path.slice(directory.length + 1) : e.path, size: Number(e.size) }))
  const children = new Map<string, ArtifactListing>()
  for (const entry of entries) {
    const slash = entry.path.indexOf('/')
    if (slash < 0) children.set(entry.path, { path: entry.path, isDir: false, size: entry.size })
    else {
      const name = entry.path.slice(0, slash)
      if (!children.has(name)) children.set(name, { path: name, isDir: true })
    }
  }
  return [...children.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

export async function deleteArtifact(deps: ServiceDeps, rawPath: string): Promise<void> {
  const path = checkArtifactPath(rawPath)
  if (!path || path.startsWith('_canon')) throw new CanonError('INVALID_PATH', `'${path || '/'}' cannot be deleted here.`)
  await deps.store.artifacts.delete(path)
}

/** Every proxied file below a directory (or the file itself), as a manifest relative to that directory. */
export async function manifestUnder(deps: ServiceDeps, rawDirectory: string): Promise<FileEntry[]> {
  const directory = checkArtifactPath(rawDirectory)
  const versionFile = await versionFiles(deps, directory)
  if (versionFile) {
    return versionFile.files
      .filter((f) => !versionFile.rest || f.path.startsWith(`${versionFile.rest}/`))
      .map((f) => ({ ...f, path: versionFile.rest ? f.path.slice(versionFile.rest.length + 1) : f.path }))
  }
  const single = directory ? await deps.store.artifacts.get(directory) : undefined
  if (single) return [{ path: directory.split('/').at(-1)!, digest: single.digest, size: Number(single.size) }]
  const entries = await deps.store.artifacts.under(directory, 10_001)
  if (entries.length > 10_000) throw new CanonError('INVALID_INPUT', `More than 10,000 files lie under '${directory}'; register a smaller directory.`)
  return entries.map((e) => ({ path: directory ? e.path.slice(directory.length + 1) : e.path, digest: e.digest, size: Number(e.size) }))
}

async function versionFiles(deps: ServiceDeps, path: string): Promise<{ files: FileEntry[]; rest: string } | null> {
  if (!path.startsWith(`${VERSION_PREFIX}/`)) return null
  const [id, ...rest] = path.slice(VERSION_PREFIX.length + 1).split('/')
  if (!id || !/^\d{1,15}$/.test(id)) return { files: [], rest: '' }
  const files = await deps.store.versions.files(Number(id))
  return { files: files.map((f) => ({ path: f.path, digest: f.digest, size: Number(f.size) })), rest: rest.join('/') }
}

export function versionDownloadUri(versionId: number): string {
  return `mlflow-artifacts:/${VERSION_PREFIX}/${versionId}`
}

export async function readArtifact(deps: ServiceDeps, digest: string): Promise<Readable> {
  return deps.blobs.read(digest)
}

/** One part of a multipart upload, stored as a blob of its own; its digest is the part's ETag. */
export async function putUploadPart(deps: ServiceDeps, body: Readable): Promise<string> {
  const { digest } = await deps.blobs.ingest(body, { maxBytes: deps.maxBlobBytes })
  return digest
}

/** Joins uploaded parts, in part order, into one artifact; the parts themselves are left for garbage collection. */
export async function completeMultipartUpload(deps: ServiceDeps, rawPath: string, parts: { partNumber: number; etag: string }[]): Promise<void> {
  if (parts.length === 0) throw new CanonError('INVALID_INPUT', 'A multipart upload needs at least one part.')
  const ordered = [...parts].sort((a, b) => a.partNumber - b.partNumber)
  const digests = ordered.map((p) => p.etag.replace(/^W\//, '').replace(/^"|"$/g, ''))
  for (const digest of digests) {
    if (!(await deps.blobs.stat(digest))) throw new CanonError('INVALID_INPUT', `Part with ETag ${digest.slice(0, 80)} was never uploaded.`)
  }
  const blobs = deps.blobs
  async function* concatenated() {
    for (const digest of digests) yield* await blobs.read(digest)
  }
  await putArtifact(deps, rawPath, Readable.from(concatenated()))
}

/** The registered model whose version a `_canon/model-versions/<id>/…` path serves, so reads can be checked against it. */
export async function modelOfArtifactPath(deps: ServiceDeps, rawPath: string): Promise<string | null> {
  const path = checkArtifactPath(rawPath)
  if (!path.startsWith(`${VERSION_PREFIX}/`)) return null
  const id = path.slice(VERSION_PREFIX.length + 1).split('/')[0] ?? ''
  if (!/^\d{1,15}$/.test(id)) return null
  return (await deps.store.versions.byId(Number(id)))?.model_name ?? null
}
