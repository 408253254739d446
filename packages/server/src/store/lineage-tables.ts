import type { Generated, Selectable } from 'kysely'

// Row types of the lineage and deployment tables (migrations 007 and 008).

export interface LineageDatasetTable {
  id: Generated<number>
  /** `dataset://name/version` or any URI */
  uri: string
  digest: string
  name: string
  created_at: number
}

export interface VersionDatasetTable {
  version_id: number
  dataset_id: number
  /** what the version used it for: training, validation, test, … */
  role: string
}

export interface VersionLineageTable {
  version_id: number
  code_repository: string | null
  code_commit: string | null
  code_branch: string | null
  code_dirty: number | null
  code_entry_point: string | null
  env_image: string | null
  /** JSON object: runtime name → version */
  env_runtime: string | null
  /** JSON array of package specifiers */
  env_packages: string | null
  parent_model_id: number | null
  parent_version: number | null
}

export interface DeploymentTable {
  id: Generated<number>
  name: string
  environment: string
  model_id: number
  status: string
  description: string
  revision: number
  created_at: number
  created_by: string
  updated_at: number
  updated_by: string
}

export interface DeploymentTargetTable {
  deployment_id: number
  version_id: number
  weight: number
}

export interface DeploymentHistoryTable {
  id: Generated<number>
  deployment_name: string
  revision: number
  model_name: string
  environment: string
  status: string
  /** JSON object: version number → weight */
  split: string
  actor: string
  reason: string | null
  at: number
}

export interface LineageTables {
  lineage_datasets: LineageDatasetTable
  version_datasets: VersionDatasetTable
  version_lineage: VersionLineageTable
  deployments: DeploymentTable
  deployment_targets: DeploymentTargetTable
  deployment_history: DeploymentHistoryTable
}

export type VersionLineageRow = Selectable<VersionLineageTable>
export type DeploymentRow = Selectable<DeploymentTable>
export type DeploymentHistoryRow = Selectable<DeploymentHistoryTable>
