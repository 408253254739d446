import type { TransitionStageInput, Version } from '@canon/api'
import { planTransition } from '../domain/stages'
import type { Actor, ServiceDeps } from './context'
import { lockVersion, versionById } from './versions.service'

/** Moves a version to a stage; promoting to Production with archiveExisting archives the previous Production version in the same transaction. */
export async function transitionStage(
  deps: ServiceDeps,
  actor: Actor,
  modelName: string,
  version: number,
  input: TransitionStageInput,
  options: { archiveStaging?: boolean } = {},
): Promise<Version> {
  const at = deps.clock()
  const reason = input.reason ?? null
  const id = await deps.store.transaction(async (tx) => {
    const row = await lockVersion(tx, modelName, version)
    const plan = planTransition({
      version,
      to: input.stage,
      archiveExisting: input.archiveExisting ?? true,
      versionsInTargetStage: await tx.versions.versionsInStage(row.model_id, input.stage),
      archiveStaging: options.archiveStaging,
    })
    await tx.versions.setStage(row.model_id, [version], plan.to, at)
    await tx.versions.insertTransition({ versionId: row.id, from: row.stage as never, to: plan.to, actor: actor.name, reason, at })
    for (const archived of plan.archive) {
      const other = await tx.versions.find(row.model_id, archived)
      if (!other) continue
      await tx.versions.setStage(row.model_id, [archived], 'Archived', at)
      await tx.versions.insertTransition({ versionId: other.id, from: plan.to, to: 'Archived', actor: actor.name, reason: `archived by promotion of version ${version}`, at })
      await tx.audit.append({ at, actor: actor.name, action: 'version.stage', target: `version:${modelName}/${archived}`, before: { stage: plan.to }, after: { stage: 'Archived' }, reason: `archived by promotion of version ${version}` })
    }
    await tx.models.update(row.model_id, { at })
    await tx.audit.append({ at, actor: actor.name, action: 'version.stage', target: `version:${modelName}/${version}`, before: { stage: row.stage }, after: { stage: plan.to }, reason })
    return row.id
  })
  return versionById(deps.store, id)
}
