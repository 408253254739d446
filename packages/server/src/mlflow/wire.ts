import type { Model, VersionSummary } from '@canon/api'
import type { ExperimentRow, RunRow } from '../store/database'
import type { RunDetails } from '../store/runs.repo'

// MLflow's JSON: snake_case, int64 as numbers, version numbers and ids as strings, unset or empty fields left out.

const ms = (iso: string) => Date.parse(iso)
const keyValues = (record: Record<string, string>) => Object.entries(record).map(([key, value]) => ({ key, value }))
const nonEmpty = <T>(list: T[]) => (list.length > 0 ? list : undefined)

export function mlflowVersion(v: VersionSummary, options: { aliases: boolean }) {
  return {
    name: v.model,
    version: String(v.version),
    creation_timestamp: ms(v.createdAt),
    last_updated_timestamp: ms(v.updatedAt),
    user_id: v.createdBy,
    current_stage: v.stage,
    description: v.description,
    source: v.source ?? undefined,
    run_id: v.runId ?? undefined,
    status: 'READY',
    tags: nonEmpty(keyValues(v.tags)),
    run_link: v.runLink ?? undefined,
    aliases: options.aliases ? nonEmpty(v.aliases) : undefined,
  }
}

export function mlflowRegisteredModel(model: Model, latestVersions: VersionSummary[]) {
  return {
    name: model.name,
    creation_timestamp: ms(model.createdAt),
    last_updated_timestamp: ms(model.updatedAt),
    user_id: model.createdBy,
    description: model.description || undefined,
    latest_versions: nonEmpty(latestVersions.map((v) => mlflowVersion(v, { aliases: false }))),
    tags: nonEmpty(keyValues(model.tags)),
    aliases: nonEmpty(Object.entries(model.aliases).map(([alias, version]) => ({ alias, version: String(version) }))),
  }
}

export function mlflowExperiment(row: ExperimentRow, tags: Record<string, string> | undefined) {
  return {
    experiment_id: String(row.id),
    name: row.name,
    artifact_location: row.artifact_location,
    lifecycle_stage: row.lifecycle_stage,
    last_update_time: Number(row.last_update_time) || undefined,
    creation_time: Number(row.creation_time) || undefined,
    tags: nonEmpty(keyValues(tags ?? {})),
  }
}

export function mlflowRunInfo(row: RunRow) {
  return {
    run_uuid: row.run_id,
    experiment_id: String(row.experiment_id),
    run_name: row.run_name,
    user_id: row.user_id,
    status: row.status,
    start_time: Number(row.start_time),
    end_time: row.end_time === null ? undefined : Number(row.end_time) || undefined,
    artifact_uri: row.artifact_uri,
    lifecycle_stage: row.lifecycle_stage,
    run_id: row.run_id,
  }
}

export function mlflowMetricValue(value: number, isNan: number | boolean): number | string {
  if (isNan) return 'NaN'
  if (value === Infinity) return 'Infinity'
  if (value === -Infinity) return '-Infinity'
  return value
}

export function mlflowRun(row: RunRow, details: RunDetails, options: { inputs: boolean }) {
  const metrics = (details.metrics.get(row.run_id) ?? []).map((m) => ({ key: m.key, value: mlflowMetricValue(m.value, m.is_nan), timestamp: Number(m.timestamp), step: Number(m.step) }))
  const inputs = (details.inputs.get(row.run_id) ?? []).map((i) => ({
    tags: nonEmpty(JSON.parse(i.tags) as { key: string; value: string }[]),
    dataset: { name: i.name, digest: i.digest, source_type: i.source_type, source: i.source, schema: i.schema ?? undefined, profile: i.profile ?? undefined },
  }))
  return {
    info: mlflowRunInfo(row),
    data: {
      metrics: nonEmpty(metrics),
      params: nonEmpty(keyValues(details.params.get(row.run_id) ?? {})),
      tags: nonEmpty(keyValues(details.tags.get(row.run_id) ?? {})),
    },
    inputs: options.inputs ? { dataset_inputs: nonEmpty(inputs) } : undefined,
  }
}
