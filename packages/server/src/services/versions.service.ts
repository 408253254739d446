import { Limits, type LineageInput, type CreateVersionInput, type ListVersionsParams, type Page, type Transition, type Version, type VersionSummary } from '@canon/api'
import type { Stage } from '@canon/api'
import { CanonError, notFound } from '../domain/errors'
import { checkDigest, checkFilePath, checkMetrics, checkTagKey, checkTags } from '../domain/validation'
import type { Repos } from '../store/metadata-store'
import type { VersionListRow } from '../store/versions.repo'
import type { Actor, ServiceDeps } from './context'
import type { Visibility } from '../domain/permissions'
import { decodeCursor, encodeCursor, parseTagFilters, parseTimestamp } from './cursor'
import { toVersion, toVersionSummary } from './mappers'
import { lineageFromRun, mergeLineage, recordLineage } from './lineage-record'
import { checkLineage } from '../domain/lineage-validation'
import { parseVersionFilter } from '../domain/version-filter'

export async function createVersion(
  deps: ServiceDeps,
  actor: Actor,
  modelName: string,
  input: CreateVersionInput,
  options: { runLink?: string } = {},
): Promise<Version> {
  const files = checkManifest(input.files)
  const tags = checkTags(input.tags)
  const run = input.runId ? await runLineage(deps, input.runId) : undefined
  // The run's params, metrics, datasets and code are the version's lineage; values given explicitly win.
  const metrics = checkMetrics({ ...run?.metrics, ...input.metrics })
  const params = { ...run?.params, ...input.params }
  const lineage = checkLineage(mergeLineage(run?.lineage ?? {}, input.lineage))
  await claimBlobs(deps, files)
  const at = deps.clock()
  const versionId = await deps.store.transaction(async (tx) => {
    const model = await tx.models.claimVersionNumber(modelName, at)
    if (!model) throw notFound.model(modelName)
    const { number } = model
    const id = await tx.versions.insert(
      {
        model_id: model.id,
        version: number,
        description: input.description ?? '',
        stage: 'None',
        source: input.source ?? null,
        run_id: input.runId ?? null,
        file_count: files.length,
        total_size: files.reduce((sum, f) => sum + f.size, 0),
        created_at: at,
        updated_at: at,
        created_by: actor.name,
        stage_updated_at: at,
        run_link: options.runLink ?? null,
      },
      { files, tags, metrics, params },
    )
    await recordLineage(tx, { id, modelId: model.id, version: number }, lineage, at)
    await tx.audit.append({
      at,
      actor: actor.name,
      action: 'version.create',
      target: `version:${modelName}/${number}`,
      after: { version: number, files: files.length, source: input.source ?? null, runId: input.runId ?? null },
    })
    return id
  })
  return versionById(deps.store, versionId)
}

async function runLineage(deps: ServiceDeps, runId: string): Promise<{ metrics: Record<string, number>; params: Record<string, string>; lineage: LineageInput } | undefined> {
  // Most run ids from the native API name runs tracked elsewhere: one lookup, not four, to find that out.
  if (!(await deps.store.runs.byId(runId))) return undefined
  const details = await deps.store.runs.details([runId])
  const metrics = Object.fromEntries((details.metrics.get(runId) ?? []).filter((m) => !m.is_nan).map((m) => [m.key, m.value]))
  return { metrics, params: details.params.get(runId) ?? {}, lineage: lineageFromRun(runId, details) }
}

/** Paths must be safe and unique, digests well-formed. */
function checkManifest(files: CreateVersionInput['files']): CreateVersionInput['files'] {
  const seen = new Set<string>()
  for (const file of files) {
    checkFilePath(file.path)
    checkDigest(file.digest)
    if (seen.has(file.path)) throw new CanonError('INVALID_PATH', `File path '${file.path}' appears twice in the manifest.`, { path: file.path })
    seen.add(file.path)
  }
  return files
}

/** A claimed blob is touched again only if its last touch is older than this (garbage collection's grace is far longer). */
const RETOUCH_AFTER_MS = 60_000

/** Every file must already be stored with the size the manifest claims; touching each blob keeps a running collection away from it. */
async function claimBlobs(deps: ServiceDeps, files: CreateVersionInput['files']): Promise<void> {
  const sizes = new Map<string, number>()
  for (const f of files) sizes.set(f.digest, f.size)
  const digests = [...sizes.keys()]
  for (let i = 0; i < digests.length; i += 32) {
    await Promise.all(
      digests.slice(i, i + 32).map(async (digest) => {
        const info = await deps.blobs.stat(digest)
        if (!info) {
          throw new CanonError('MANIFEST_BLOB_UNKNOWN', `Blob ${digest} has not been uploaded; PUT /api/v1/blobs/${digest} first.`, { digest })
        }
        if (info.size !== sizes.get(digest)) {
          throw new CanonError('INVALID_INPUT', `The manifest says ${digest} is ${sizes.get(digest)} bytes, but the stored blob is ${info.size} bytes.`, { digest, stored: info.size })
        }
        // a blob touched within the last minute is already safe from a collection; skip the write
        if (deps.clock() - info.modifiedAt > RETOUCH_AFTER_MS) await deps.blobs.touch(digest)
      }),
    )
  }
}

export async function versionById(store: Repos, id: number): Promise<Version> {
  const row = await store.versions.byId(id)
  if (!row) throw new CanonError('VERSION_NOT_FOUND', 'That version no longer exists.')
  return versionFromRow(store, row)
}

/** The full version for a row already read, without reading the row again. */
export async function versionFromRow(store: Repos, row: VersionListRow): Promise<Version> {
  const { details, files } = await store.versions.document(Number(row.id))
  return toVersion(row, details, files)
}

export async function findVersionRow(store: Repos, modelName: string, version: number): Promise<VersionListRow> {
  const model = await store.models.byName(modelName)
  if (!model) throw notFound.model(modelName)
  const row = await store.versions.find(model.id, version)
  if (!row) throw notFound.version(modelName, version)
  return row
}

export async function getVersion(deps: Pick<ServiceDeps, 'store'>, modelName: string, version: number): Promise<Version> {
  return versionFromRow(deps.store, await findVersionRow(deps.store, modelName, version))
}

type VersionCursor = { o: string; id: number }

export async function listVersions(deps: ServiceDeps, params: ListVersionsParams, visibility?: Visibility): Promise<Page<VersionSummary>> {
  const order = params.order ?? 'desc'
  const limit = params.limit ?? Limits.defaultPageSize
  const filter = params.filter === undefined ? undefined : parseVersionFilter(params.filter)
  let modelId: number | undefined
  if (params.model !== undefined) {
    const model = await deps.store.models.byName(params.model)
    if (!model) throw notFound.model(params.model)
    modelId = model.id
  }
  const after = params.cursor
    ? decodeCursor(params.cursor, (c: unknown): c is VersionCursor => (c as VersionCursor)?.o === order && Number.isSafeInteger((c as VersionCursor).id))
    : undefined
  const rows = await deps.store.versions.search({
    modelId,
    stage: params.stage,
    tags: parseTagFilters(params.tag),
    runId: params.runId,
    approval: params.approval,
    createdAfter: parseTimestamp(params.createdAfter, 'createdAfter'),
    createdBefore: parseTimestamp(params.createdBefore, 'createdBefore'),
    order,
    afterId: after?.id,
    limit: limit + 1,
    visibility,
    filter,
  })
  const page = rows.slice(0, limit)
  const details = await deps.store.versions.details(page.map((r) => Number(r.id)))
  const last = page.at(-1)
  return {
    items: page.map((r) => toVersionSummary(r, details)),
    nextCursor: rows.length > limit && last ? encodeCursor({ o: order, id: Number(last.id) }) : null,
  }
}

export async function updateVersion(deps: ServiceDeps, actor: Actor, modelName: string, version: number, description: string): Promise<Version> {
  const at = deps.clock()
  const id = await deps.store.transaction(async (tx) => {
    const row = await lockVersion(tx, modelName, version)
    await tx.versions.update(row.id, { description, at })
    await tx.audit.append({ at, actor: actor.name, action: 'version.update', target: `version:${modelName}/${version}`, before: { description: row.description }, after: { description } })
    return row.id
  })
  return versionById(deps.store, id)
}

export async function deleteVersion(deps: ServiceDeps, actor: Actor, modelName: string, version: number): Promise<void> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const row = await lockVersion(tx, modelName, version)
    if (row.stage === 'Production') {
      throw new CanonError('VERSION_IN_PRODUCTION', `Version ${version} of '${modelName}' is in Production; move it to Archived before deleting it.`, { model: modelName, version })
    }
    const serving = await tx.deployments.servingVersion(Number(row.id))
    if (serving.length > 0) {
      throw new CanonError('VERSION_SERVING', `Version ${version} of '${modelName}' receives traffic from deployment ${serving.join(', ')}; change the split first.`, { model: modelName, version, deployments: serving })
    }
    await tx.versions.delete(row.id)
    await tx.models.update(row.model_id, { at })
    await tx.audit.append({ at, actor: actor.name, action: 'version.delete', target: `version:${modelName}/${version}`, before: { version, stage: row.stage } })
  })
}

/** Locks the version's model row, so nothing else changes the model's versions until the transaction ends. */
export async function lockVersion(tx: Repos, modelName: string, version: number): Promise<VersionListRow> {
  const model = await tx.models.lockByName(modelName)
  if (!model) throw notFound.model(modelName)
  const row = await tx.versions.find(model.id, version)
  if (!row) throw notFound.version(modelName, version)
  return row
}

export async function setVersionTag(deps: ServiceDeps, actor: Actor, modelName: string, version: number, key: string, value: string): Promise<Version> {
  checkTagKey(key)
  const at = deps.clock()
  const id = await deps.store.transaction(async (tx) => {
    const row = await lockVersion(tx, modelName, version)
    const before = await tx.versions.tagValue(row.id, key)
    await tx.versions.setTag(row.id, key, value)
    await tx.versions.update(row.id, { at })
    await tx.audit.append({ at, actor: actor.name, action: 'version.tag.set', target: `version:${modelName}/${version}`, before: before === undefined ? undefined : { [key]: before }, after: { [key]: value } })
    return row.id
  })
  return versionById(deps.store, id)
}

export async function deleteVersionTag(deps: ServiceDeps, actor: Actor, modelName: string, version: number, key: string): Promise<void> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const row = await lockVersion(tx, modelName, version)
    const before = await tx.versions.tagValue(row.id, key)
    if (before === undefined) throw new CanonError('TAG_NOT_FOUND', `Version ${version} of '${modelName}' has no tag '${key}'.`, { model: modelName, version, key })
    await tx.versions.deleteTag(row.id, key)
    await tx.versions.update(row.id, { at })
    await tx.audit.append({ at, actor: actor.name, action: 'version.tag.delete', target: `version:${modelName}/${version}`, before: { [key]: before } })
  })
}

export async function listTransitions(deps: ServiceDeps, modelName: string, version: number): Promise<Transition[]> {
  const row = await findVersionRow(deps.store, modelName, version)
  // Bounded like every list: a version moved more than a page's worth of times shows its latest moves.
  const rows = await deps.store.versions.transitions(row.id, Limits.pageSize)
  return rows.map((t) => ({ fromStage: t.from_stage as Stage, toStage: t.to_stage as Stage, actor: t.actor, reason: t.reason, at: new Date(Number(t.at)).toISOString() }))
}
