import type { RollbackInput, Version } from '@canon/api'
import { CanonError, notFound } from '../domain/errors'
import type { Actor, ServiceDeps } from './context'
import { guardDirectChange } from './policies.service'
import { applyStageChange } from './stages.service'
import { versionById } from './versions.service'

/**
 * Puts the previous Production version back and archives the current one, in one transaction. "Previous" comes from the
 * stage history: the most recent other version that entered Production. The model's policy applies as to any promotion.
 */
export async function rollback(deps: ServiceDeps, actor: Actor, modelName: string, input: RollbackInput, options: { mayOverride?: boolean } = {}): Promise<Version> {
  const at = deps.clock()
  const id = await deps.store.transaction(async (tx) => {
    const model = await tx.models.lockByName(modelName)
    if (!model) throw notFound.model(modelName)
    const current = await tx.versions.latestInStage(model.id, 'Production')
    if (!current) throw new CanonError('INVALID_STATE', `Model '${modelName}' has no Production version to roll back from.`, { model: modelName })
    const previousId = await tx.requests.previousProduction(model.id, current.id)
    const previous = previousId === undefined ? undefined : await tx.versions.byId(previousId)
    if (!previous) throw new CanonError('INVALID_STATE', `Model '${modelName}' has had no other version in Production to roll back to.`, { model: modelName, current: Number(current.version) })
    await guardDirectChange(tx, actor, modelName, previous, { kind: 'stage', target: 'Production' }, { override: input.override, reason: input.reason, mayOverride: options.mayOverride }, at)
    const reason = `rollback from version ${current.version}: ${input.reason}`
    await applyStageChange(tx, actor, modelName, previous, { stage: 'Production', archiveExisting: true, reason }, at)
    await tx.audit.append({ at, actor: actor.name, action: 'model.rollback', target: `model:${modelName}`, before: { production: Number(current.version) }, after: { production: Number(previous.version) }, reason: input.reason })
    return previous.id
  })
  return versionById(deps.store, id)
}
