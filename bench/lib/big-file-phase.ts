import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { apiClient } from './api-client'
import type { ProcessMonitor } from './process-monitor'
import { downloadFile, freeBytes, makeRandomFile, measureBaseline, uploadFile, type Baseline } from './transfer'

const MiB = 1024 * 1024

export interface BigFileResult {
  bytes: number
  /** why the file is smaller than asked, if it is */
  shrunk?: string
  makeSeconds: number
  baseline: Baseline
  uploadSeconds: number
  downloadSeconds: number
  /** machine-wide CPU busy % during upload and download (200% = both cores) */
  machineCpuPct: { upload: number; download: number }
  maxRssMB: number
}

/**
 * Upload and download of one large random file against the yardstick `sha256sum f; cp f f2` on the same file, same run.
 * Peak disk use is about 2× the file (source + stored blob, then stored blob + downloaded copy).
 */
export async function bigFilePhase(baseUrl: string, workDir: string, requestedMiB: number, monitor: ProcessMonitor, log: (line: string) => void): Promise<BigFileResult> {
  let bytes = requestedMiB * MiB
  let shrunk: string | undefined
  const free = await freeBytes(workDir)
  const needed = bytes * 2 + 512 * MiB
  if (free < needed) {
    const fit = Math.floor((free - 512 * MiB) / 2 / MiB)
    if (fit < 16) throw new Error(`only ${(free / MiB).toFixed(0)} MiB free under ${workDir}; the upload/download phase needs at least 544 MiB (set BENCH_BLOB_MB=0 to skip it)`)
    shrunk = `only ${(free / MiB).toFixed(0)} MiB free under ${workDir}: shrank the file from ${requestedMiB} MiB to ${fit} MiB`
    log(`WARNING: ${shrunk}`)
    bytes = fit * MiB
  }
  const source = join(workDir, 'big.bin')
  const copy = join(workDir, 'big-copy.bin')
  const downloaded = join(workDir, 'big-downloaded.bin')
  try {
    log(`writing ${(bytes / MiB).toFixed(0)} MiB of random bytes…`)
    const makeStarted = performance.now()
    await makeRandomFile(source, bytes)
    const makeSeconds = (performance.now() - makeStarted) / 1000
    log('baseline: sha256sum + cp (+ sync of the copy, reported apart)…')
    const baseline = await measureBaseline(source, copy)
    monitor.beginPhase()
    log('upload: streamed PUT /api/v1/blobs/<digest>…')
    const upload = await uploadFile(baseUrl, source, bytes, baseline.digest)
    await rm(source, { force: true })
    const api = apiClient(baseUrl)
    const version = await api.expect<{ version: number }>([201], 'POST', '/api/v1/models/m-0/versions', {
      files: [{ path: 'weights/big.bin', size: bytes, digest: baseline.digest }],
      description: 'bench: large file',
    })
    log('download: GET …/files/weights/big.bin, hashing while writing…')
    const download = await downloadFile(baseUrl, `/api/v1/models/m-0/versions/${version.version}/files/weights/big.bin`, downloaded, bytes, baseline.digest)
    return { bytes, ...(shrunk && { shrunk }), makeSeconds,
      baseline,
      uploadSeconds: upload.seconds,
      downloadSeconds: download.seconds,
      machineCpuPct: { upload: upload.machineCpuPct, download: download.machineCpuPct },
      maxRssMB: monitor.endPhase() }
  } finally {
    await Promise.all([source, copy, downloaded].map((path) => rm(path, { force: true })))
  }
}
