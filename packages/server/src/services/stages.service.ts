import type { TransitionStageInput, Version } from '@canon/api'
import { planTransition } from '../domain/stages'
import type { Repos } from '../store/metadata-store'
import type { VersionListRow } from '../store/versions.repo'
import type { Actor, ServiceDeps } from './context'
import { guardDirectChange } from './policies.service'
import { lockVersion, versionById } from './versions.service'

/**
 * Moves a version to a stage; promoting to Production with archiveExisting archives the previous Production version in
 * the same transaction. A promotion to Production must satisfy the model's policy, or be an admin's audited override.
 */
export async function transitionStage(
  deps: ServiceDeps,
  actor: Actor,
  modelName: string,
  version: number,
  input: TransitionStageInput,
  options: { archiveStaging?: boolean; mayOverride?: boolean } = {},
): Promise<Version> {
  const at = deps.clock()
  const id = await deps.store.transaction(async (tx) => {
    const row = await lockVersion(tx, modelName, version)
    await guardDirectChange(tx, actor, modelName, row, { kind: 'stage', target: input.stage }, { override: input.override, reason: input.reason, mayOverride: options.mayOverride }, at)
    await applyStageChange(tx, actor, modelName, row, { ...input, reason: input.reason ?? null }, at, options)
    return row.id
  })
  return versionById(deps.store, id)
}

/** The stage change itself, inside the caller's transaction (a direct transition, an applied request, a rollback). */
export async function applyStageChange(
  tx: Repos,
  actor: Actor,
  modelName: string,
  row: VersionListRow,
  input: { stage: TransitionStageInput['stage']; archiveExisting?: boolean; reason: string | null },
  at: number,
  options: { archiveStaging?: boolean } = {},
): Promise<void> {
  const version = Number(row.version)
  const { reason } = input
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
}
