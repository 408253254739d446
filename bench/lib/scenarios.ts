import type { LoadSpec } from './load'
import { TEAMS, modelName, versionBody, type SeedResult } from './seed'

// Keys are visited in a scattered order (a stride coprime to the key count), so no run hammers one hot row.
const STRIDE = 7919

function rotate<T>(items: T[]): (n: number) => T {
  return (n) => items[(n * STRIDE) % items.length] as T
}

export function ceilingSpec(baseUrl: string): LoadSpec {
  return { name: 'ceiling: bare node:http, fixed JSON', baseUrl, path: () => '/' }
}

/** Fastify with Canon's hooks and serialisation but no storage: what the HTTP layer alone allows. */
export function frameworkFloorSpec(baseUrl: string): LoadSpec {
  return { name: 'reference: Canon GET /healthz (no storage)', baseUrl, path: () => '/healthz' }
}

export function resolveAliasSpec(baseUrl: string, seeded: SeedResult): LoadSpec {
  const paths = Array.from({ length: seeded.models }, (_, i) => `/api/v1/resolve?uri=${encodeURIComponent(`models:/${modelName(i)}@champion`)}`)
  return { name: 'resolve models:/m-<i>@champion', baseUrl, path: rotate(paths) }
}

export function getVersionSpec(baseUrl: string, seeded: SeedResult): LoadSpec {
  const paths: string[] = []
  for (let i = 0; i < seeded.models; i++) for (let v = 1; v <= seeded.versionsPerModel; v++) paths.push(`/api/v1/models/${modelName(i)}/versions/${v}`)
  return { name: 'get version m-<i>/<v>', baseUrl, path: rotate(paths) }
}

export function searchByTagSpec(baseUrl: string): LoadSpec {
  const paths = TEAMS.map((team) => `/api/v1/versions?tag=${encodeURIComponent(`team=${team}`)}&limit=20`)
  return { name: 'search versions tag=team=<t>, limit 20', baseUrl, path: (n) => paths[n % paths.length] as string }
}

export function createVersionSpec(baseUrl: string, seeded: SeedResult, label = 'create version'): LoadSpec {
  const paths = Array.from({ length: seeded.models }, (_, i) => `/api/v1/models/${modelName(i)}/versions`)
  return { name: label, baseUrl, method: 'POST', body: JSON.stringify(versionBody(seeded.blobs, 0, 1)), path: rotate(paths) }
}

// The MLflow face, with the request shapes MLflow's Python client sends (GET fields in the query string).
const mlflow = '/api/2.0/mlflow'

export function mlflowAliasSpec(baseUrl: string, seeded: SeedResult): LoadSpec {
  const paths = Array.from({ length: seeded.models }, (_, i) => `${mlflow}/registered-models/alias?name=${modelName(i)}&alias=champion`)
  return { name: 'MLflow GET registered-models/alias', baseUrl, path: rotate(paths) }
}

export function mlflowGetVersionSpec(baseUrl: string, seeded: SeedResult): LoadSpec {
  const paths: string[] = []
  for (let i = 0; i < seeded.models; i++) for (let v = 1; v <= seeded.versionsPerModel; v++) paths.push(`${mlflow}/model-versions/get?name=${modelName(i)}&version=${v}`)
  return { name: 'MLflow GET model-versions/get', baseUrl, path: rotate(paths) }
}

export function mlflowSearchSpec(baseUrl: string, seeded: SeedResult): LoadSpec {
  const paths = Array.from({ length: seeded.models }, (_, i) => `${mlflow}/model-versions/search?filter=${encodeURIComponent(`name='${modelName(i)}'`)}`)
  return { name: "MLflow GET model-versions/search?filter=name='…'", baseUrl, path: rotate(paths) }
}

export function mlflowCreateSpec(baseUrl: string, seeded: SeedResult): LoadSpec {
  // One fixed body for autocannon; the source is an external pointer, as MLflow's own benchmark registers.
  const body = JSON.stringify({ name: modelName(Math.min(1, seeded.models - 1)), source: 's3://training/external/model' })
  return { name: 'MLflow POST model-versions/create', baseUrl, method: 'POST', body, path: () => `${mlflow}/model-versions/create` }
}
