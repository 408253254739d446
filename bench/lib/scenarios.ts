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
