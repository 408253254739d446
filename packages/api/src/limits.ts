/** Input limits shared by the server's validation and the clients' own checks. */
export const Limits = {
  modelName: 256,
  description: 5000,
  tagKey: 250,
  tagValue: 5000,
  tagsPerEntity: 100,
  alias: 255,
  filePath: 1024,
  filesPerVersion: 10_000,
  source: 2048,
  runId: 256,
  metricsPerVersion: 1000,
  paramValue: 6000,
  reason: 2000,
  pageSize: 1000,
  defaultPageSize: 100,
  /** each structured model-card field, and each owner's name and contact */
  cardField: 20_000,
  cardBody: 100_000,
  cardOwners: 50,
} as const

export const MODEL_NAME_PATTERN = '^[A-Za-z0-9_./ -]{1,256}$'
export const ALIAS_PATTERN = '^[A-Za-z0-9_-]{1,255}$'
export const DIGEST_PATTERN = '^sha256:[0-9a-f]{64}$'
export const Stages = ['None', 'Staging', 'Production', 'Archived'] as const
export type Stage = (typeof Stages)[number]
