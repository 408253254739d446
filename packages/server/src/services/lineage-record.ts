import type { DatasetRef, LineageInput } from '@canon/api'
import { notFound } from '../domain/errors'
import type { Repos } from '../store/metadata-store'
import type { RunDetails } from '../store/runs.repo'

/** Lineage a tracked run implies: its logged datasets and the git facts MLflow's clients record as tags. */
export function lineageFromRun(runId: string, details: RunDetails): LineageInput {
  const tags = details.tags.get(runId) ?? {}
  const datasets: DatasetRef[] = (details.inputs.get(runId) ?? []).map((input) => ({
    uri: datasetUri(input.name, input.source),
    digest: input.digest,
    role: contextOf(input.tags) ?? 'training',
  }))
  const code = {
    ...(tags['mlflow.source.git.repoURL'] && { repository: tags['mlflow.source.git.repoURL'] }),
    ...(tags['mlflow.source.git.commit'] && { commit: tags['mlflow.source.git.commit'] }),
    ...(tags['mlflow.source.git.branch'] && { branch: tags['mlflow.source.git.branch'] }),
    ...(tags['mlflow.source.name'] && { entryPoint: tags['mlflow.source.name'] }),
  }
  return { datasets, ...(Object.keys(code).length > 0 && { code }) }
}

/** Explicit lineage wins field by field over what the run implied; datasets are the union. */
export function mergeLineage(fromRun: LineageInput, explicit: LineageInput | undefined): LineageInput {
  if (!explicit) return fromRun
  const datasets = [...(fromRun.datasets ?? []), ...(explicit.datasets ?? [])]
  const code = fromRun.code || explicit.code ? { ...fromRun.code, ...explicit.code } : undefined
  return { ...fromRun, ...explicit, datasets, ...(code && { code }) }
}

/** Writes a new version's lineage inside the transaction that creates it. */
export async function recordLineage(tx: Repos, versionId: number, lineage: LineageInput, at: number): Promise<void> {
  let parent: { modelId: number; version: number } | undefined
  if (lineage.parent) {
    const model = await tx.models.byName(lineage.parent.model)
    if (!model) throw notFound.model(lineage.parent.model)
    if (!(await tx.versions.find(model.id, lineage.parent.version))) throw notFound.version(lineage.parent.model, lineage.parent.version)
    parent = { modelId: model.id, version: lineage.parent.version }
  }
  const links: { datasetId: number; role: string }[] = []
  for (const dataset of lineage.datasets ?? []) {
    links.push({ datasetId: await tx.lineage.upsertDataset(dataset.uri, dataset.digest, datasetName(dataset.uri), at), role: dataset.role ?? 'training' })
  }
  await tx.lineage.addVersionDatasets(versionId, links)
  const { code, environment } = lineage
  if (!code && !environment && !parent) return
  await tx.lineage.setVersionLineage({
    version_id: versionId,
    code_repository: code?.repository ?? null,
    code_commit: code?.commit ?? null,
    code_branch: code?.branch ?? null,
    code_dirty: code?.dirty === undefined ? null : code.dirty ? 1 : 0,
    code_entry_point: code?.entryPoint ?? null,
    env_image: environment?.image ?? null,
    env_runtime: environment?.runtime ? JSON.stringify(environment.runtime) : null,
    env_packages: environment?.packages ? JSON.stringify(environment.packages) : null,
    parent_model_id: parent?.modelId ?? null,
    parent_version: parent?.version ?? null,
  })
}

/** `dataset://churn-events/2024-06` → `churn-events`; any other URI → its last path segment. */
export function datasetName(uri: string): string {
  const named = /^dataset:\/\/([^/?#]+)/.exec(uri)
  if (named?.[1]) return decodeURIComponentSafe(named[1])
  const segments = uri.split(/[?#]/)[0]!.split('/').filter(Boolean)
  return segments.at(-1) ?? uri
}

/** MLflow keeps a dataset's location in a JSON `source`; its uri (or path/url) is the dataset's identity here. */
function datasetUri(name: string, source: string): string {
  try {
    const parsed = JSON.parse(source) as Record<string, unknown>
    for (const key of ['uri', 'url', 'path', 'table_name']) {
      const value = parsed[key]
      if (typeof value !== 'string' || !value) continue
      if (/^[A-Za-z][A-Za-z0-9+.-]*:\S/.test(value)) return value
      // a local path or a table name: make it a URI so it is one identity like any other
      return value.startsWith('/') ? `file://${value}` : `dataset://${encodeURIComponent(value)}`
    }
  } catch {
    // not JSON: fall through
  }
  return `dataset://${encodeURIComponent(name)}`
}

function contextOf(tagsJson: string): string | undefined {
  try {
    const tags = JSON.parse(tagsJson) as { key: string; value: string }[]
    return tags.find((t) => t.key === 'mlflow.data.context')?.value || undefined
  } catch {
    return undefined
  }
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
