import type { CreateVersionInput, FileEntry, Version } from '@canon/api'
import type { CanonClient } from './client'
import { mapWithLimit } from './concurrency'
import { isCanonApiError } from './errors'
import { sha256File } from './hashing'
import { listLocalFiles, type LocalFile } from './local-files'
import type { PartUploadOptions, PartUploadResult } from './uploads'

export interface PushProgress {
  /** hashing every file first, then uploading the ones the server lacks */
  phase: 'hashing' | 'uploading'
  path: string
  fileBytes: number
  fileSize: number
  /** bytes done in this phase, over all files */
  bytesDone: number
  /** bytes this phase will handle in total */
  bytesTotal: number
}

export interface PushOptions extends Omit<CreateVersionInput, 'files'> {
  /** register the model first if it does not exist (default false) */
  createModel?: boolean
  onProgress?: (progress: PushProgress) => void
  signal?: AbortSignal
  /** files at least this large go up as resumable uploads in parts (default 64 MiB) */
  partThreshold?: number
  /** part size for those uploads (default: the server's, 16 MiB) */
  partSize?: number
}

export interface PushResult {
  version: Version
  modelCreated: boolean
  files: number
  totalBytes: number
  /** distinct blobs sent in this push (identical files are sent once) */
  uploadedBlobs: number
  uploadedBytes: number
  /** files whose content the server already had, so they were not sent */
  skippedFiles: number
  skippedBytes: number
  /** bytes of interrupted earlier uploads that the server already had, so were not sent again */
  resumedBytes: number
}

export const DEFAULT_PART_THRESHOLD = 64 * 1024 * 1024

const HEAD_CONCURRENCY = 8

/**
 * Registers a new version from a local file or directory: hash each file by streaming, ask the server
 * which blobs it already has, upload only the rest (streamed), then create the version from the manifest.
 */
export async function pushVersion(client: CanonClient, model: string, fileOrDir: string, options: PushOptions = {}): Promise<PushResult> {
  const { createModel = false, onProgress, signal, partThreshold = DEFAULT_PART_THRESHOLD, partSize, ...metadata } = options
  const modelCreated = await ensureModel(client, model, createModel)
  const local = await listLocalFiles(fileOrDir)
  const manifest = await hashAll(local, onProgress, signal)

  const missing = await blobsTheServerLacks(client, local, manifest)
  const bytesTotal = missing.reduce((sum, blob) => sum + blob.size, 0)
  let bytesDone = 0
  let resumedBytes = 0
  for (const blob of missing) {
    signal?.throwIfAborted()
    const before = bytesDone
    const progress = (sent: number) => onProgress?.({ phase: 'uploading', path: blob.path, fileBytes: sent, fileSize: blob.size, bytesDone: before + sent, bytesTotal })
    const inParts = blob.size >= partThreshold ? await uploadInPartsIfServed(client, blob, { partSize, signal, onProgress: progress }) : null
    if (inParts) resumedBytes += inParts.resumedBytes
    else await client.blobs.upload(blob.digest, blob.localPath, { size: blob.size, signal, onProgress: progress })
    bytesDone += blob.size
  }

  const version = await client.versions.create(model, { ...metadata, files: manifest })
  const uploaded = new Set(missing.map((blob) => blob.digest))
  const skipped = manifest.filter((file) => !uploaded.has(file.digest))
  return {
    version,
    modelCreated,
    files: manifest.length,
    totalBytes: manifest.reduce((sum, file) => sum + file.size, 0),
    uploadedBlobs: missing.length,
    uploadedBytes: bytesDone - resumedBytes,
    resumedBytes,
    skippedFiles: skipped.length,
    skippedBytes: skipped.reduce((sum, file) => sum + file.size, 0),
  }
}

// A server from before resumable uploads answers ROUTE_NOT_FOUND: the file then goes up in one request.
async function uploadInPartsIfServed(client: CanonClient, blob: FileEntry & { localPath: string }, options: PartUploadOptions): Promise<PartUploadResult | null> {
  try {
    return await client.blobs.uploadInParts(blob.digest, blob.localPath, blob.size, options)
  } catch (error) {
    if (isCanonApiError(error, 'ROUTE_NOT_FOUND')) return null
    throw error
  }
}

/** One entry per distinct content the server does not have yet (identical files are uploaded once). */
async function blobsTheServerLacks(client: CanonClient, local: LocalFile[], manifest: FileEntry[]): Promise<Array<FileEntry & { localPath: string }>> {
  const distinct = new Map<string, FileEntry & { localPath: string }>()
  manifest.forEach((file, index) => {
    if (!distinct.has(file.digest)) distinct.set(file.digest, { ...file, localPath: (local[index] as LocalFile).localPath })
  })
  const candidates = [...distinct.values()]
  const present = await mapWithLimit(candidates, HEAD_CONCURRENCY, (blob) => client.blobs.has(blob.digest))
  return candidates.filter((_, i) => !present[i])
}

// Checked before hashing so a missing model fails fast, not after reading gigabytes.
async function ensureModel(client: CanonClient, model: string, create: boolean): Promise<boolean> {
  try {
    await client.models.get(model)
    return false
  } catch (error) {
    if (!create || !isCanonApiError(error, 'MODEL_NOT_FOUND')) throw error
  }
  try {
    await client.models.create({ name: model })
    return true
  } catch (error) {
    if (isCanonApiError(error, 'MODEL_EXISTS')) return false
    throw error
  }
}

async function hashAll(files: LocalFile[], onProgress: PushOptions['onProgress'], signal?: AbortSignal): Promise<FileEntry[]> {
  const bytesTotal = files.reduce((sum, f) => sum + f.size, 0)
  let bytesDone = 0
  const manifest: FileEntry[] = []
  for (const file of files) {
    signal?.throwIfAborted()
    const before = bytesDone
    const { digest, size } = await sha256File(file.localPath, (read) =>
      onProgress?.({ phase: 'hashing', path: file.path, fileBytes: read, fileSize: file.size, bytesDone: before + read, bytesTotal }),
    )
    manifest.push({ path: file.path, size, digest })
    bytesDone += size
  }
  return manifest
}
