import type { GcReport, Model, Transition, Version, VersionSummary } from '@canon/api'
import type { AuditEvent } from '@canon/sdk'
import { bytes, fields, plural, record, table, time, truncate } from './format'

// How each kind of thing reads in a terminal.

export function modelDetails(model: Model): string {
  return fields([
    ['Name', model.name],
    ['Description', model.description],
    ['Tags', record(model.tags)],
    ['Aliases', record(model.aliases)],
    ['Latest version', model.latestVersion],
    ['Production version', model.productionVersion],
    ['Created', `${time(model.createdAt)} by ${model.createdBy}`],
    ['Updated', time(model.updatedAt)],
  ])
}

export function modelTable(models: Model[]): string {
  return table(
    ['NAME', 'LATEST', 'PRODUCTION', 'ALIASES', 'TAGS', 'UPDATED'],
    models.map((m) => [m.name, String(m.latestVersion ?? '-'), String(m.productionVersion ?? '-'), record(m.aliases), truncate(record(m.tags), 40), time(m.updatedAt)]),
  )
}

export function versionDetails(version: Version): string {
  const summary = fields([
    ['Model', version.model],
    ['Version', version.version],
    ['Stage', version.stage],
    ['Aliases', version.aliases.join(', ')],
    ['Description', version.description],
    ['Source', version.source],
    ['Run', version.runId],
    ['Tags', record(version.tags)],
    ['Metrics', record(version.metrics)],
    ['Params', record(version.params)],
    ['Files', `${plural(version.fileCount, 'file')}, ${bytes(version.totalSize)}`],
    ['Created', `${time(version.createdAt)} by ${version.createdBy}`],
    ['Stage since', time(version.stageUpdatedAt)],
  ])
  if (version.files.length === 0) return summary
  return `${summary}\n${table(
    ['PATH', 'SIZE', 'DIGEST'],
    version.files.map((f) => [f.path, bytes(f.size), f.digest]),
  )}`
}

export function versionTable(versions: VersionSummary[], withModel: boolean): string {
  const headers = ['VERSION', 'STAGE', 'ALIASES', 'FILES', 'SIZE', 'CREATED', 'RUN', 'DESCRIPTION']
  const rows = versions.map((v) => [
    String(v.version),
    v.stage,
    v.aliases.join(','),
    String(v.fileCount),
    bytes(v.totalSize),
    time(v.createdAt),
    v.runId ?? '',
    truncate(v.description, 40),
  ])
  if (!withModel) return table(headers, rows)
  return table(['MODEL', ...headers], rows.map((row, i) => [(versions[i] as VersionSummary).model, ...row]))
}

export function transitionTable(transitions: Transition[]): string {
  return table(
    ['AT', 'FROM', 'TO', 'ACTOR', 'REASON'],
    transitions.map((t) => [time(t.at), t.fromStage, t.toStage, t.actor, t.reason ?? '']),
  )
}

export function aliasTable(aliases: Record<string, number>): string {
  return table(
    ['ALIAS', 'VERSION'],
    Object.entries(aliases).map(([alias, version]) => [alias, String(version)]),
  )
}

export function auditTable(events: AuditEvent[]): string {
  return table(
    ['SEQ', 'AT', 'ACTOR', 'ACTION', 'TARGET', 'REASON'],
    events.map((e) => [String(e.seq), time(e.at), e.actor, e.action, e.target, truncate(e.reason ?? '', 40)]),
  )
}

export function gcSummary(report: GcReport): string {
  const blobs = `${plural(report.collected.length, 'unreferenced blob')} (${bytes(report.collectedBytes)})`
  const scan = `scanned ${report.scanned}, referenced ${report.referenced}, younger than the ${report.graceSeconds} s grace period ${report.tooYoung}`
  const listing = report.collected.length === 0 ? '' : table(['DIGEST', 'SIZE'], report.collected.map((c) => [c.digest, bytes(c.size)]))
  const uploads = report.expiredUploads ? ` Removed ${plural(report.expiredUploads, 'abandoned upload')}.` : ''
  const verdict = report.applied ? `Deleted ${blobs}; ${scan}.${uploads}` : `Dry run: would delete ${blobs}; ${scan}. Run again with --apply to delete them.`
  return `${listing}${verdict}\n`
}
