import type { Stage } from '@canon/api'

export interface StagePlan {
  /** stage the version moves to */
  to: Stage
  /** other versions of the same model that move to Archived in the same transaction */
  archive: number[]
}

/** Promoting to Production with archiving leaves exactly one Production version. Pure: the caller loads and saves. */
export function planTransition(input: { version: number; to: Stage; archiveExisting: boolean; productionVersions: number[] }): StagePlan {
  const archive =
    input.to === 'Production' && input.archiveExisting ? input.productionVersions.filter((v) => v !== input.version) : []
  return { to: input.to, archive }
}

const byLowerName = new Map<string, Stage>(
  (['None', 'Staging', 'Production', 'Archived'] as const).map((s) => [s.toLowerCase(), s]),
)

/** Stage names are matched case-insensitively, as MLflow clients send them in any case. */
export function parseStage(name: string): Stage | undefined {
  return byLowerName.get(name.toLowerCase())
}
