import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { FileEntry, Version } from '@canon/api'
import type { CanonClient } from './client'
import { CanonApiError } from './errors'
import { HashingCounter } from './hashing'
import { stallGuard } from './stall-guard'

export interface PullProgress {
  path: string
  fileBytes: number
  fileSize: number
  /** bytes downloaded so far, over all files */
  bytesDone: number
  bytesTotal: number
}

export interface PullOptions {
  onProgress?: (progress: PullProgress) => void
  signal?: AbortSignal
  /** give up on a file when no bytes arrive for this long (default 60 s) */
  stallTimeoutMs?: number
}

export interface PullResult {
  version: Version
  dir: string
  files: Array<FileEntry & { localPath: string }>
  totalBytes: number
}

/**
 * Downloads every file of the version `uri` names into `dir`. Each file streams into a temporary file next to its
 * target while being hashed, and is renamed into place only once its size and sha256 match the manifest:
 * a failed or tampered download never leaves a partial or unverified file behind.
 */
export async function pullVersion(client: CanonClient, uri: string, dir: string, options: PullOptions = {}): Promise<PullResult> {
  const version = await client.resolve(uri)
  const root = resolve(dir)
  const targets = version.files.map((file) => ({ ...file, localPath: localPathFor(root, file.path) }))
  const bytesTotal = version.files.reduce((sum, file) => sum + file.size, 0)
  let bytesDone = 0
  await mkdir(root, { recursive: true })
  for (const file of targets) {
    options.signal?.throwIfAborted()
    const before = bytesDone
    await downloadVerified(client, version, file, options, (fileBytes) =>
      options.onProgress?.({ path: file.path, fileBytes, fileSize: file.size, bytesDone: before + fileBytes, bytesTotal }),
    )
    bytesDone += file.size
  }
  return { version, dir: root, files: targets, totalBytes: bytesTotal }
}

async function downloadVerified(
  client: CanonClient,
  version: Version,
  file: FileEntry & { localPath: string },
  options: PullOptions,
  onBytes: (bytes: number) => void,
): Promise<void> {
  await mkdir(dirname(file.localPath), { recursive: true })
  const temporary = join(dirname(file.localPath), `.${basename(file.localPath)}.${randomUUID().slice(0, 8)}.canon-part`)
  const stallMs = options.stallTimeoutMs ?? 60_000
  const guard = stallGuard(stallMs, options.signal)
  try {
    const download = await client.files.download(version.model, version.version, file.path, { signal: guard.signal })
    const counter = new HashingCounter((bytes) => {
      guard.touch()
      onBytes(bytes)
    })
    // flush: fsync before close, so a crash after the rename never exposes unwritten bytes
    await pipeline(download.nodeStream(), counter, createWriteStream(temporary, { flush: true }), { signal: guard.signal }).catch((error: unknown) => {
      const progress = { path: file.path, received: counter.bytes, expected: file.size }
      if (guard.stalled()) {
        throw new CanonApiError(0, 'STALLED', `No bytes of '${file.path}' arrived for ${stallMs / 1000} s after ${counter.bytes} of ${file.size}; gave up and wrote nothing.`, progress)
      }
      if (options.signal?.aborted || error instanceof CanonApiError || isLocalWriteError(error)) throw error
      const reason = (error as { cause?: { code?: string } })?.cause?.code ?? (error as Error)?.message ?? String(error)
      throw new CanonApiError(0, 'INTERRUPTED', `The download of '${file.path}' broke off after ${counter.bytes} of ${file.size} bytes (${reason}); nothing was written.`, progress)
    })
    if (counter.bytes !== file.size) {
      throw new CanonApiError(0, 'SIZE_MISMATCH', `Downloaded ${counter.bytes} bytes of '${file.path}', but the manifest says ${file.size}; nothing was written.`, {
        path: file.path,
        expected: file.size,
        actual: counter.bytes,
      })
    }
    const actual = counter.digest()
    if (actual !== file.digest) {
      throw new CanonApiError(0, 'DIGEST_MISMATCH', `The bytes downloaded for '${file.path}' hash to ${actual}, not ${file.digest} as the manifest says; nothing was written.`, {
        path: file.path,
        expected: file.digest,
        actual,
      })
    }
    await rename(temporary, file.localPath)
  } finally {
    guard.dispose()
    await rm(temporary, { force: true })
  }
}

// Disk-side failures (ENOSPC, EACCES…) keep their own message: they are not the download's fault.
function isLocalWriteError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException)?.syscall === 'string'
}

/** Maps a manifest path into `root`, refusing any path that would land outside it. */
export function localPathFor(root: string, manifestPath: string): string {
  const segments = manifestPath.split('/')
  const unsafe =
    manifestPath.includes('\\') || manifestPath.includes('\0') || /^[A-Za-z]:/.test(manifestPath) || segments.some((s) => s === '' || s === '.' || s === '..')
  const target = join(root, ...segments)
  if (unsafe || !target.startsWith(root + sep)) {
    throw new CanonApiError(0, 'UNSAFE_PATH', `The manifest path '${manifestPath.slice(0, 200)}' would land outside '${root}'; refusing to write it.`, { path: manifestPath })
  }
  return target
}
