import type { Version } from '@canon/api'
import { notFound } from '../domain/errors'
import { checkAlias } from '../domain/validation'
import type { Actor, ServiceDeps } from './context'
import { lockVersion, versionById } from './versions.service'

/** Creates the alias or moves it to another version of the same model. */
export async function setAlias(deps: ServiceDeps, actor: Actor, modelName: string, alias: string, version: number): Promise<Version> {
  checkAlias(alias)
  const at = deps.clock()
  const id = await deps.store.transaction(async (tx) => {
    const row = await lockVersion(tx, modelName, version)
    const previousId = await tx.aliases.versionId(row.model_id, alias)
    const previous = previousId === undefined ? undefined : await tx.versions.byId(previousId)
    await tx.aliases.set(row.model_id, alias, row.id, at)
    await tx.models.update(row.model_id, { at })
    await tx.audit.append({ at, actor: actor.name, action: 'alias.set', target: `alias:${modelName}@${alias}`, before: previous ? { version: previous.version } : undefined, after: { version } })
    return row.id
  })
  return versionById(deps.store, id)
}

export async function getAliasVersion(deps: Pick<ServiceDeps, 'store'>, modelName: string, alias: string): Promise<Version> {
  const model = await deps.store.models.byName(modelName)
  if (!model) throw notFound.model(modelName)
  const versionId = await deps.store.aliases.versionId(model.id, alias)
  if (versionId === undefined) throw notFound.alias(modelName, alias)
  return versionById(deps.store, versionId)
}

export async function deleteAlias(deps: ServiceDeps, actor: Actor, modelName: string, alias: string): Promise<void> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const model = await tx.models.lockByName(modelName)
    if (!model) throw notFound.model(modelName)
    const versionId = await tx.aliases.versionId(model.id, alias)
    if (versionId === undefined) throw notFound.alias(modelName, alias)
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
