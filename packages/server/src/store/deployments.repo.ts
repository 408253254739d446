import type { Kysely } from 'kysely'
import type { Database } from './database'
import type { DialectTraits } from './dialect-traits'
import type { DeploymentHistoryRow, DeploymentRow } from './lineage-tables'

export interface DeploymentListRow extends DeploymentRow {
  model_name: string
}

export interface TargetRow {
  deployment_id: number
  version_id: number
  version: number
  stage: string
  weight: number
}

export class DeploymentsRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly traits: DialectTraits,
  ) {}

  private base() {
    return this.db.selectFrom('deployments as d').innerJoin('registered_models as m', 'm.id', 'd.model_id').selectAll('d').select('m.name as model_name')
  }

  async byName(name: string): Promise<DeploymentListRow | undefined> {
    return this.base().where('d.name', '=', name).executeTakeFirst()
  }

  /** Locks the deployment row (PostgreSQL) so concurrent changes to one deployment serialise. */
  async lockByName(name: string): Promise<DeploymentListRow | undefined> {
    let query = this.base().where('d.name', '=', name)
    if (this.traits.rowLocks) query = query.forUpdate('d')
    return query.executeTakeFirst()
  }

  async insert(row: Omit<DeploymentRow, 'id'>): Promise<number> {
    const inserted = await this.db.insertInto('deployments').values(row).returning('id').executeTakeFirstOrThrow()
    return Number(inserted.id)
  }

  async update(id: number, patch: Partial<Pick<DeploymentRow, 'environment' | 'status' | 'description' | 'revision' | 'updated_at' | 'updated_by'>>): Promise<void> {
    await this.db.updateTable('deployments').set(patch).where('id', '=', id).execute()
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('deployments').where('id', '=', id).execute()
  }

  async setTargets(deploymentId: number, targets: { versionId: number; weight: number }[]): Promise<void> {
    await this.db.deleteFrom('deployment_targets').where('deployment_id', '=', deploymentId).execute()
    if (targets.length === 0) return
    await this.db
      .insertInto('deployment_targets')
      .values(targets.map((t) => ({ deployment_id: deploymentId, version_id: t.versionId, weight: t.weight })))
      .execute()
  }

  async targets(deploymentIds: number[]): Promise<TargetRow[]> {
    if (deploymentIds.length === 0) return []
    return this.db
      .selectFrom('deployment_targets as t')
      .innerJoin('model_versions as v', 'v.id', 't.version_id')
      .select(['t.deployment_id', 't.version_id', 'v.version', 'v.stage', 't.weight'])
      .where('t.deployment_id', 'in', deploymentIds)
      .orderBy('v.version')
      .execute()
  }

  async list(filter: { modelId?: number; environment?: string; afterName?: string; limit: number }): Promise<DeploymentListRow[]> {
    let query = this.base()
    if (filter.modelId !== undefined) query = query.where('d.model_id', '=', filter.modelId)
    if (filter.environment !== undefined) query = query.where('d.environment', '=', filter.environment)
    if (filter.afterName !== undefined) query = query.where('d.name', '>', filter.afterName)
    return query.orderBy('d.name').limit(filter.limit).execute()
  }

  async countForModel(modelId: number): Promise<number> {
    const row = await this.db.selectFrom('deployments').select((eb) => eb.fn.countAll<number>().as('n')).where('model_id', '=', modelId).executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /** Deployments that route any traffic to the version. */
  async servingVersion(versionId: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('deployment_targets as t')
      .innerJoin('deployments as d', 'd.id', 't.deployment_id')
      .select('d.name')
      .where('t.version_id', '=', versionId)
      .orderBy('d.name')
      .execute()
    return rows.map((r) => r.name)
  }

  async addHistory(row: Omit<DeploymentHistoryRow, 'id'>): Promise<void> {
    await this.db.insertInto('deployment_history').values(row).execute()
  }

  async history(name: string, filter: { beforeId?: number; limit: number }): Promise<DeploymentHistoryRow[]> {
    let query = this.db.selectFrom('deployment_history').selectAll().where('deployment_name', '=', name)
    if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId)
    return query.orderBy('id', 'desc').limit(filter.limit).execute()
  }
}
