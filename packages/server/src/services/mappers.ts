import type { FileEntry, Model, Stage, Version, VersionSummary } from '@canon/api'
import type { ModelListRow } from '../store/models.repo'
import type { VersionDetails, VersionListRow } from '../store/versions.repo'

const iso = (ms: number) => new Date(Number(ms)).toISOString()

export function toModel(row: ModelListRow, tags: Record<string, string> | undefined, aliases: Record<string, number> | undefined): Model {
  return {
    name: row.name,
    description: row.description,
    tags: tags ?? {},
    aliases: aliases ?? {},
    latestVersion: row.latest_version === null ? null : Number(row.latest_version),
    productionVersion: row.production_version === null ? null : Number(row.production_version),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    createdBy: row.created_by,
  }
}

export function toVersionSummary(row: VersionListRow, details: VersionDetails): VersionSummary {
  const id = Number(row.id)
  return {
    model: row.model_name,
    version: Number(row.version),
    description: row.description,
    stage: row.stage as Stage,
    source: row.source,
    runId: row.run_id,
    runLink: row.run_link ?? null,
    tags: details.tags.get(id) ?? {},
    metrics: details.metrics.get(id) ?? {},
    params: details.params.get(id) ?? {},
    aliases: details.aliases.get(id) ?? [],
    fileCount: Number(row.file_count),
    totalSize: Number(row.total_size),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    createdBy: row.created_by,
    stageUpdatedAt: iso(row.stage_updated_at),
    approval: {
      status: row.approval_status as 'pending' | 'approved' | 'rejected',
      by: row.approval_by,
      at: row.approval_at === null ? null : iso(row.approval_at),
      comment: row.approval_comment,
    },
  }
}

export function toVersion(row: VersionListRow, details: VersionDetails, files: FileEntry[]): Version {
  return { ...toVersionSummary(row, details), files: files.map((f) => ({ path: f.path, size: Number(f.size), digest: f.digest })) }
}
