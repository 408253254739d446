import type { Generated, Insertable, Selectable } from 'kysely'
import type { LineageTables } from './lineage-tables'
import type { ScheduleFireTable, ScheduleTable, WebhookAttemptTable, WebhookDeliveryTable, WebhookTable } from './webhooks.table'

// Row types of the metadata schema; timestamps are epoch milliseconds on both dialects.

export interface RegisteredModelTable {
  id: Generated<number>
  name: string
  description: string
  created_at: number
  updated_at: number
  created_by: string
  /** next number handed out; never decremented, so numbers are never reused */
  next_version: number
}

export interface ModelTagTable {
  model_id: number
  key: string
  value: string
}

export interface ModelVersionTable {
  id: Generated<number>
  model_id: number
  version: number
  description: string
  stage: string
  source: string | null
  run_id: string | null
  file_count: number
  total_size: number
  created_at: number
  updated_at: number
  created_by: string
  stage_updated_at: number
  run_link: string | null
  approval_status: Generated<string>
  approval_by: string | null
  approval_at: number | null
  approval_comment: string | null
}

export interface VersionKeyValueTable {
  version_id: number
  key: string
  value: string
}

export interface VersionMetricTable {
  version_id: number
  key: string
  value: number
}

export interface VersionFileTable {
  version_id: number
  path: string
  digest: string
  size: number
}

export interface ModelAliasTable {
  model_id: number
  alias: string
  version_id: number
  updated_at: number
}

export interface StageTransitionTable {
  id: Generated<number>
  version_id: number
  from_stage: string
  to_stage: string
  actor: string
  reason: string | null
  at: number
}

export interface AuditEventTable {
  seq: number
  at: number
  actor: string
  action: string
  target: string
  before: string | null
  after: string | null
  reason: string | null
  prev_hash: string
  hash: string
}

/** A single row per chain: its head, locked while an event is appended so the chain stays linear across instances. */
export interface AuditHeadTable {
  chain: string
  seq: number
  hash: string
}

export interface ExperimentTable {
  id: Generated<number>
  name: string
  artifact_location: string
  lifecycle_stage: string
  creation_time: number
  last_update_time: number
}

export interface ExperimentTagTable {
  experiment_id: number
  key: string
  value: string
}

export interface RunTable {
  run_id: string
  experiment_id: number
  run_name: string
  user_id: string
  status: string
  start_time: number
  end_time: number | null
  lifecycle_stage: string
  artifact_uri: string
  deleted_time: number | null
}

export interface RunKeyValueTable {
  run_id: string
  key: string
  value: string
}

export interface RunMetricTable {
  run_id: string
  key: string
  value: number
  is_nan: number
  timestamp: number
  step: number
}

export interface DatasetTable {
  id: Generated<number>
  experiment_id: number
  name: string
  digest: string
  source_type: string
  source: string
  schema: string | null
  profile: string | null
}

export interface RunInputTable {
  run_id: string
  dataset_id: number
  tags: string
}

export interface ArtifactFileTable {
  path: string
  digest: string
  size: number
  updated_at: number
}

export interface UserTable {
  id: Generated<number>
  name: string
  /** 'user' or 'service' */
  kind: string
  created_at: number
  created_by: string
  disabled_at: number | null
}

export interface ApiTokenTable {
  id: Generated<number>
  user_id: number
  name: string
  /** sha256 of the token; the token itself is shown once and never stored */
  token_hash: string
  /** the token's first characters, to tell tokens apart in listings */
  hint: string
  created_at: number
  expires_at: number | null
  revoked_at: number | null
  last_used_at: number | null
}

export interface GrantTable {
  id: Generated<number>
  user_id: number
  role: string
  /** '*' (global), a model name, or a name prefix ending in '*' */
  scope: string
  created_at: number
  created_by: string
}

export interface PolicyTable {
  /** '*' (the global default) or a model name */
  scope: string
  /** the policy as JSON */
  body: string
  updated_at: number
  updated_by: string
}

export interface TransitionRequestTable {
  id: Generated<number>
  model_id: number
  version_id: number
  /** 'stage' or 'alias' */
  kind: string
  /** the stage or alias name */
  target: string
  /** pending | applied | rejected | cancelled */
  status: string
  requested_by: string
  comment: string | null
  required_approvals: number
  created_at: number
  decided_at: number | null
  decided_by: string | null
}

export interface RequestReviewTable {
  id: Generated<number>
  request_id: number
  reviewer: string
  /** 'approve' or 'reject' */
  decision: string
  comment: string | null
  at: number
}

/** A model card (keyed by model_id) or a version card (keyed by version_id); owners is a JSON list of {name, contact}. */
export interface CardColumns {
  intended_use: string
  out_of_scope_uses: string
  training_data: string
  evaluation_results: string
  limitations_and_biases: string
  ethical_considerations: string
  owners: string
  body: string
  updated_at: number
  updated_by: string
}

export interface UploadSessionTable {
  id: string
  digest: string
  size: number
  part_size: number
  part_count: number
  created_by: string
  created_at: number
  expires_at: number
}

export interface UploadPartTable {
  upload_id: string
  number: number
  size: number
  digest: string
  received_at: number
}

export interface Database extends LineageTables {
  registered_models: RegisteredModelTable
  model_tags: ModelTagTable
  model_versions: ModelVersionTable
  version_tags: VersionKeyValueTable
  version_params: VersionKeyValueTable
  version_metrics: VersionMetricTable
  version_files: VersionFileTable
  model_aliases: ModelAliasTable
  stage_transitions: StageTransitionTable
  audit_events: AuditEventTable
  audit_head: AuditHeadTable
  experiments: ExperimentTable
  experiment_tags: ExperimentTagTable
  runs: RunTable
  run_params: RunKeyValueTable
  run_tags: RunKeyValueTable
  run_metric_history: RunMetricTable & { id: Generated<number> }
  run_latest_metrics: RunMetricTable
  datasets: DatasetTable
  run_inputs: RunInputTable
  artifact_files: ArtifactFileTable
  users: UserTable
  api_tokens: ApiTokenTable
  grants: GrantTable
  model_cards: CardColumns & { model_id: number }
  version_cards: CardColumns & { version_id: number }
  policies: PolicyTable
  transition_requests: TransitionRequestTable
  request_reviews: RequestReviewTable
  webhooks: WebhookTable
  webhook_deliveries: WebhookDeliveryTable
  webhook_attempts: WebhookAttemptTable
  schedules: ScheduleTable
  schedule_fires: ScheduleFireTable
  upload_sessions: UploadSessionTable
  upload_parts: UploadPartTable
}

export type ModelRow = Selectable<RegisteredModelTable>
export type VersionRow = Selectable<ModelVersionTable>
export type NewVersionRow = Insertable<ModelVersionTable>
export type AuditRow = Selectable<AuditEventTable>
export type ExperimentRow = Selectable<ExperimentTable>
export type RunRow = Selectable<RunTable>
export type RunMetricRow = Selectable<RunMetricTable>
export type UserRow = Selectable<UserTable>
export type ApiTokenRow = Selectable<ApiTokenTable>
export type GrantRow = Selectable<GrantTable>
export type TransitionRequestRow = Selectable<TransitionRequestTable>
export type RequestReviewRow = Selectable<RequestReviewTable>
