import type { Stage } from '@canon/api'

export interface StagePlan {
  /** stage the version moves to */
  to: Stage
  /** other versions of the same model that move to Archived in the same transaction */
  archive: number[]
}

/**
 * Promoting with archiving leaves exactly one version in the target stage: Production always, Staging too when the caller
 * asks for MLflow's meaning of archive_existing_versions. Pure: the caller loads and saves.
 */
export function planTransition(input: {
  version: number
  to: Stage
  archiveExisting: boolean
  /** versions of the model currently in the target stage */
  versionsInTargetStage: number[]
  archiveStaging?: boolean
}): StagePlan {
  const archivable = input.to === 'Production' || (input.to === 'Staging' && input.archiveStaging === true)
  const archive = archivable && input.archiveExisting ? input.versionsInTargetStage.filter((v) => v !== input.version) : []
  return { to: input.to, archive }
}

const byLowerName = new Map<string, Stage>(
  (['None', 'Staging', 'Production', 'Archived'] as const).map((s) => [s.toLowerCase(), s]),
)

/** Stage names are matched case-insensitively, as MLflow clients send them in any case. */
export function parseStage(name: string): Stage | undefined {
  return byLowerName.get(name.toLowerCase())
}
