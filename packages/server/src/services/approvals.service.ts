import type { Version } from '@canon/api'
import { CanonError } from '../domain/errors'
import type { Actor, ServiceDeps } from './context'
import { lockVersion, versionById } from './versions.service'

/**
 * Records an approver's verdict on a version. With `fourEyes` (auth on), nobody approves or rejects a version they
 * registered themselves.
 */
export async function setApprovalStatus(
  deps: ServiceDeps,
  actor: Actor,
  modelName: string,
  version: number,
  input: { status: 'approved' | 'rejected'; comment?: string },
  options: { fourEyes: boolean },
): Promise<Version> {
  const at = deps.clock()
  const id = await deps.store.transaction(async (tx) => {
    const row = await lockVersion(tx, modelName, version)
    if (options.fourEyes && row.created_by === actor.name) {
      throw new CanonError('PERMISSION_DENIED', `${actor.name} registered version ${version} of '${modelName}' and cannot also review it (four-eyes rule).`, { model: modelName, version })
    }
    await tx.versions.setApproval(row.id, { status: input.status, by: actor.name, at, comment: input.comment ?? null })
    await tx.audit.append({
      at,
      actor: actor.name,
      action: 'version.approval',
      target: `version:${modelName}/${version}`,
      before: { status: row.approval_status, by: row.approval_by },
      after: { status: input.status, by: actor.name },
      reason: input.comment ?? null,
    })
    return row.id
  })
  return versionById(deps.store, id)
}
