import { createHash, randomBytes } from 'node:crypto'
import { apiClient, forEachLimited } from './api-client'

export const TEAMS = ['risk', 'growth', 'fraud', 'search'] as const

export interface FileEntry {
  path: string
  size: number
  digest: string
}

export interface SeedResult {
  models: number
  versionsPerModel: number
  /** small blobs every seeded version references; creates in the bench reference them too */
  blobs: FileEntry[]
  requests: number
  seconds: number
}

export const modelName = (i: number) => `m-${i}`

/** The body of a typical create: two files, tags, metrics and params. */
export function versionBody(blobs: FileEntry[], i: number, v: number) {
  const weights = blobs[(i + v) % blobs.length] as FileEntry
  const config = blobs[(i * 7 + v + 1) % blobs.length] as FileEntry
  return {
    files: [
      { path: 'model.bin', size: weights.size, digest: weights.digest },
      { path: 'config/params.json', size: config.size, digest: config.digest },
    ],
    description: `trained on window ${v}`,
    source: `s3://training/${modelName(i)}/run-${v}`,
    runId: `run-${i}-${v}`,
    tags: { team: TEAMS[(i + v) % TEAMS.length] as string, framework: v % 2 ? 'xgboost' : 'pytorch' },
    metrics: { auc: 0.7 + ((i * 13 + v) % 300) / 1000, f1: 0.5 + ((i + v * 17) % 400) / 1000 },
    params: { lr: String(0.001 * (1 + (v % 5))), depth: String(4 + (i % 6)) },
  }
}

/**
 * Seeds `models` models with `versionsPerModel` versions each through the HTTP API, `concurrency` models at a time:
 * alias champion on the last version, challenger on the one before, and stage transitions (Staging, and Production on every other model).
 */
export async function seed(baseUrl: string, models: number, versionsPerModel: number, concurrency: number, onProgress?: (done: number) => void): Promise<SeedResult> {
  const api = apiClient(baseUrl)
  const started = performance.now()
  let requests = 0
  const call = async (expected: number[], method: string, path: string, body?: unknown) => {
    requests++
    return api.expect(expected, method, path, body)
  }

  const blobs: FileEntry[] = []
  for (let b = 0; b < 16; b++) {
    const bytes = randomBytes(4096 + b * 512)
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
    await call([200, 201], 'PUT', `/api/v1/blobs/${digest}`, bytes)
    blobs.push({ path: `blob-${b}`, size: bytes.length, digest })
  }

  let done = 0
  await forEachLimited(models, concurrency, async (i) => {
    const name = modelName(i)
    await call([201], 'POST', '/api/v1/models', { name, description: `bench model ${i}`, tags: { owner: TEAMS[i % TEAMS.length] as string } })
    for (let v = 1; v <= versionsPerModel; v++) await call([201], 'POST', `/api/v1/models/${name}/versions`, versionBody(blobs, i, v))
    await call([200], 'PUT', `/api/v1/models/${name}/aliases/champion`, { version: versionsPerModel })
    if (versionsPerModel > 1) {
      await call([200], 'PUT', `/api/v1/models/${name}/aliases/challenger`, { version: versionsPerModel - 1 })
      await call([200], 'POST', `/api/v1/models/${name}/versions/${versionsPerModel - 1}/stage`, { stage: 'Staging', reason: 'bench seed' })
    }
    if (i % 2 === 0) await call([200], 'POST', `/api/v1/models/${name}/versions/${versionsPerModel}/stage`, { stage: 'Production', reason: 'bench seed' })
    onProgress?.(++done)
  })
  return { models, versionsPerModel, blobs, requests, seconds: (performance.now() - started) / 1000 }
}
