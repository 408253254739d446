import type { Comparison, FileEntry } from '@canon/api'
import { CanonError, notFound } from '../domain/errors'
import type { VersionListRow } from '../store/versions.repo'
import type { ServiceDeps } from './context'
import { codeOf, environmentOf } from './lineage.service'

const iso = (ms: number) => new Date(Number(ms)).toISOString()
export const MAX_COMPARED = 10

/** `3,4,7` → [3, 4, 7]: 2 to 10 distinct version numbers, in the order given. */
export function parseVersionList(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim())
  const numbers = parts.map((p) => (/^[1-9][0-9]{0,9}$/.test(p) ? Number(p) : Number.NaN))
  const bad = parts.find((_, i) => Number.isNaN(numbers[i]))
  if (bad !== undefined) throw new CanonError('INVALID_INPUT', `'${bad.slice(0, 50)}' is not a version number; pass versions as a comma-separated list, e.g. versions=3,4,7.`, { field: 'versions' })
  if (new Set(numbers).size !== numbers.length) throw new CanonError('INVALID_INPUT', 'A version appears twice in versions=.', { field: 'versions' })
  if (numbers.length < 2 || numbers.length > MAX_COMPARED) throw new CanonError('INVALID_INPUT', `Compare 2 to ${MAX_COMPARED} versions; got ${numbers.length}.`, { field: 'versions' })
  return numbers
}

/** Side by side: metrics with deltas (against the first and the Production version), params, datasets, code, environment, files. */
export async function compareVersions(deps: Pick<ServiceDeps, 'store'>, modelName: string, numbers: number[]): Promise<Comparison> {
  const { store } = deps
  const model = await store.models.byName(modelName)
  if (!model) throw notFound.model(modelName)
  const rows: VersionListRow[] = []
  for (const n of numbers) {
    const row = await store.versions.find(model.id, n)
    if (!row) throw notFound.version(modelName, n)
    rows.push(row)
  }
  const ids = rows.map((r) => Number(r.id))
  const production = await store.versions.latestInStage(model.id, 'Production')
  const detailIds = production ? [...new Set([...ids, Number(production.id)])] : ids
  const [details, lineage, datasets, files] = await Promise.all([
    store.versions.details(detailIds),
    store.lineage.ofVersions(ids),
    store.lineage.datasetsOf(ids),
    Promise.all(ids.map((id) => store.versions.files(id))),
  ])
  const durations = await Promise.all(rows.map(async (r) => trainingDuration(deps, r.run_id)))

  const metricsOf = (id: number) => details.metrics.get(id) ?? {}
  const productionMetrics = production ? metricsOf(Number(production.id)) : undefined
  const metricKeys = sortedKeys(ids.map(metricsOf))
  const metrics = metricKeys.map((key) => {
    const values = ids.map((id) => metricsOf(id)[key] ?? null)
    const first = values[0] ?? null
    const prod = productionMetrics?.[key] ?? null
    return {
      key,
      values,
      deltaVsFirst: values.map((v) => (v === null || first === null ? null : v - first)),
      production: prod,
      deltaVsProduction: values.map((v) => (v === null || prod === null ? null : v - prod)),
    }
  })

  return {
    model: modelName,
    versions: numbers,
    productionVersion: production ? Number(production.version) : null,
    overview: rows.map((r, i) => ({
      version: Number(r.version),
      stage: r.stage,
      approval: r.approval_status,
      createdAt: iso(r.created_at),
      runId: r.run_id,
      fileCount: Number(r.file_count),
      totalSize: Number(r.total_size),
      trainingDurationMs: durations[i] ?? null,
      codeCommit: lineage.get(Number(r.id))?.code_commit ?? null,
    })),
    metrics,
    params: splitChanged(ids.map((id) => details.params.get(id) ?? {})),
    datasets: datasetMatrix(ids, datasets),
    code: codeFields(ids.map((id) => codeOf(lineage.get(id)))),
    environment: splitChanged(ids.map((id) => flattenEnvironment(environmentOf(lineage.get(id))))),
    files: fileDiff(files),
  }
}

async function trainingDuration(deps: Pick<ServiceDeps, 'store'>, runId: string | null): Promise<number | null> {
  if (!runId) return null
  const run = await deps.store.runs.byId(runId)
  return run?.end_time ? Number(run.end_time) - Number(run.start_time) : null
}

function sortedKeys(records: Record<string, unknown>[]): string[] {
  return [...new Set(records.flatMap((r) => Object.keys(r)))].sort()
}

/** Keys whose value differs in any version (a missing key counts as different) and keys equal everywhere. */
export function splitChanged(records: Record<string, string>[]): Comparison['params'] {
  const changed: Comparison['params']['changed'] = []
  const unchanged: Comparison['params']['unchanged'] = []
  for (const key of sortedKeys(records)) {
    const values = records.map((r) => r[key] ?? null)
    if (values.every((v) => v !== null && v === values[0])) unchanged.push({ key, value: values[0]! })
    else changed.push({ key, values })
  }
  return { changed, unchanged }
}

function datasetMatrix(ids: number[], rows: { version_id: number; uri: string; digest: string }[]): Comparison['datasets'] {
  const byDataset = new Map<string, { uri: string; digest: string; users: Set<number> }>()
  for (const r of rows) {
    const key = `${r.uri}\n${r.digest}`
    const entry = byDataset.get(key) ?? { uri: r.uri, digest: r.digest, users: new Set<number>() }
    entry.users.add(Number(r.version_id))
    byDataset.set(key, entry)
  }
  return [...byDataset.values()].map((d) => ({ uri: d.uri, digest: d.digest, usedBy: ids.map((id) => d.users.has(id)) }))
}

function codeFields(codes: ReturnType<typeof codeOf>[]): Comparison['code'] {
  return (['repository', 'commit', 'branch', 'dirty', 'entryPoint'] as const).map((field) => {
    const values = codes.map((c) => (c[field] === null ? null : String(c[field])))
    return { field, values, same: values.every((v) => v === values[0]) }
  })
}

/** `image`, `runtime.python`, `package.scikit-learn` → comparable strings. */
function flattenEnvironment(env: ReturnType<typeof environmentOf>): Record<string, string> {
  const flat: Record<string, string> = {}
  if (env.image) flat.image = env.image
  for (const [k, v] of Object.entries(env.runtime)) flat[`runtime.${k}`] = v
  for (const spec of env.packages) {
    const match = /^([A-Za-z0-9_.@/-]+)\s*(.*)$/.exec(spec)
    const name = match?.[1] ?? spec
    flat[`package.${name}`] = (match?.[2] ?? '').trim() || spec
  }
  return flat
}

function fileDiff(manifests: FileEntry[][]): Comparison['files'] {
  const paths = [...new Set(manifests.flatMap((m) => m.map((f) => f.path)))].sort()
  const lookup = manifests.map((m) => new Map(m.map((f) => [f.path, f])))
  return paths.map((path) => {
    const entries = lookup.map((m) => m.get(path))
    const digests = entries.map((e) => e?.digest ?? null)
    const first = digests[0]
    const status = first === null ? 'added' : digests.some((d) => d === null) ? 'removed' : digests.every((d) => d === first) ? 'same' : 'changed'
    return { path, status, digests, sizes: entries.map((e) => (e ? Number(e.size) : null)) }
  })
}
