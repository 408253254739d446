import type { Readable } from 'node:stream'
import type { BlobUpload, FileEntry } from '@canon/api'
import { CanonError } from '../domain/errors'
import { checkDigest, checkFilePath } from '../domain/validation'
import type { BlobInfo } from '../blobs/blob-store'
import type { ServiceDeps } from './context'
import { findVersionRow } from './versions.service'

export async function statBlob(deps: ServiceDeps, digest: string): Promise<BlobInfo> {
  const info = await deps.blobs.stat(checkDigest(digest))
  if (!info) throw new CanonError('BLOB_NOT_FOUND', `Blob ${digest} does not exist.`, { digest })
  return info
}

/** Streams the body into the blob store; it becomes visible only if it hashes to `digest`. */
export async function uploadBlob(deps: ServiceDeps, digest: string, body: Readable, declaredLength?: number): Promise<BlobUpload> {
  checkDigest(digest)
  if (declaredLength !== undefined && declaredLength > deps.maxBlobBytes) {
    throw new CanonError('PAYLOAD_TOO_LARGE', `The upload declares ${declaredLength} bytes; the limit is ${deps.maxBlobBytes} (CANON_MAX_BLOB_BYTES).`, { maxBytes: deps.maxBlobBytes })
  }
  const { size, created } = await deps.blobs.put(digest, body, { maxBytes: deps.maxBlobBytes })
  deps.log.debug({ digest, size, created }, 'blob stored')
  return { digest, size, created }
}

export async function findVersionFile(deps: ServiceDeps, modelName: string, version: number, path: string): Promise<FileEntry> {
  checkFilePath(path)
  const row = await findVersionRow(deps.store, modelName, version)
  const file = await deps.store.versions.file(row.id, path)
  if (!file) throw new CanonError('FILE_NOT_FOUND', `Version ${version} of '${modelName}' has no file '${path}'.`, { model: modelName, version, path })
  return { path: file.path, size: Number(file.size), digest: file.digest }
}

export async function listVersionFiles(deps: ServiceDeps, modelName: string, version: number): Promise<FileEntry[]> {
  const row = await findVersionRow(deps.store, modelName, version)
  const files = await deps.store.versions.files(row.id)
  return files.map((f) => ({ path: f.path, size: Number(f.size), digest: f.digest }))
}
