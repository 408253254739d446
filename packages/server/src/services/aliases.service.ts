import type { Version } from '@canon/api'
import { CanonError, notFound } from '../domain/errors'
import { toVersion } from './mappers'
import { checkAlias } from '../domain/validation'
import type { Repos } from '../store/metadata-store'
import type { VersionListRow } from '../store/versions.repo'
import type { Actor, ServiceDeps } from './context'
import { effectivePolicy, guardDirectChange, type OverrideOptions } from './policies.service'
import { lockVersion, versionById } from './versions.service'

/** Creates the alias or moves it to another version of the same model; a protected alias moves only through a request, or an admin's audited override. */
export async function setAlias(
  deps: ServiceDeps,
  actor: Actor,
  modelName: string,
  alias: string,
  version: number,
  options: OverrideOptions = {},
): Promise<Version> {
  checkAlias(alias)
  const at = deps.clock()
  const id = await deps.store.transaction(async (tx) => {
    const row = await lockVersion(tx, modelName, version)
    await guardDirectChange(tx, actor, modelName, row, { kind: 'alias', target: alias }, options, at)
    await applyAliasMove(tx, actor, modelName, alias, row, at, options.reason ?? null)
    return row.id
  })
  return versionById(deps.store, id)
}

/** The alias move itself, inside the caller's transaction (a direct move or an applied request). */
export async function applyAliasMove(tx: Repos, actor: Actor, modelName: string, alias: string, row: VersionListRow, at: number, reason: string | null): Promise<void> {
  const previousId = await tx.aliases.versionId(row.model_id, alias)
  const previous = previousId === undefined ? undefined : await tx.versions.byId(previousId)
  await tx.aliases.set(row.model_id, alias, row.id, at)
  await tx.models.update(row.model_id, { at })
  await tx.audit.append({ at, actor: actor.name, action: 'alias.set', target: `alias:${modelName}@${alias}`, before: previous ? { version: previous.version } : undefined, after: { version: Number(row.version) }, reason })
}

export async function getAliasVersion(deps: Pick<ServiceDeps, 'store'>, modelName: string, alias: string): Promise<Version> {
  const found = await deps.store.versions.byAlias(modelName, alias)
  if (found) return toVersion(found.row, found.document.details, found.document.files)
  if (!(await deps.store.models.byName(modelName))) throw notFound.model(modelName)
  throw notFound.alias(modelName, alias)
}

/** Deletes an alias; a protected alias only by an admin of the model, as removing it is as consequential as moving it. */
export async function deleteAlias(deps: ServiceDeps, actor: Actor, modelName: string, alias: string, options: { mayOverride?: boolean } = {}): Promise<void> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const model = await tx.models.lockByName(modelName)
    if (!model) throw notFound.model(modelName)
    const versionId = await tx.aliases.versionId(model.id, alias)
    if (versionId === undefined) throw notFound.alias(modelName, alias)
    if (!options.mayOverride && (await effectivePolicy(tx, modelName)).policy.protectedAliases.includes(alias)) {
      throw new CanonError('APPROVAL_REQUIRED', `Alias '${alias}' of '${modelName}' is protected: only an admin may delete it.`, { model: modelName, alias })
    }
    const previous = await tx.versions.byId(versionId)
    await tx.aliases.delete(model.id, alias)
    await tx.models.update(model.id, { at })
    await tx.audit.append({ at, actor: actor.name, action: 'alias.delete', target: `alias:${modelName}@${alias}`, before: { version: previous?.version } })
  })
}

export async function listAliases(deps: Pick<ServiceDeps, 'store'>, modelName: string): Promise<Record<string, number>> {
  const model = await deps.store.models.byName(modelName)
  if (!model) throw notFound.model(modelName)
  const rows = await deps.store.aliases.list([model.id])
  return Object.fromEntries(rows.map((r) => [r.alias, Number(r.version)]))
}
