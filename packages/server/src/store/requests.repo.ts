import type { Kysely } from 'kysely'
import type { Database, RequestReviewRow, TransitionRequestRow } from './database'

export interface TransitionRequestListRow extends TransitionRequestRow {
  model_name: string
  version: number
}

export interface RequestSearch {
  status?: string
  modelId?: number
  requestedBy?: string
  limit: number
}

/** Promotion policies, transition requests and their reviews. */
export class RequestsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async policy(scope: string): Promise<{ body: string; updated_at: number; updated_by: string } | undefined> {
    return this.db.selectFrom('policies').select(['body', 'updated_at', 'updated_by']).where('scope', '=', scope).executeTakeFirst()
  }

  async setPolicy(scope: string, body: string, at: number, by: string): Promise<void> {
    await this.db
      .insertInto('policies')
      .values({ scope, body, updated_at: at, updated_by: by })
      .onConflict((oc) => oc.column('scope').doUpdateSet({ body, updated_at: at, updated_by: by }))
      .execute()
  }

  /** Re-keys a model's policy after a rename; a stale policy under the new name (of a deleted model) gives way. */
  async movePolicy(from: string, to: string): Promise<void> {
    if (!(await this.policy(from))) return
    await this.db.deleteFrom('policies').where('scope', '=', to).execute()
    await this.db.updateTable('policies').set({ scope: to }).where('scope', '=', from).execute()
  }

  async insert(row: { modelId: number; versionId: number; kind: string; target: string; requestedBy: string; comment: string | null; requiredApprovals: number; at: number }): Promise<number> {
    const { id } = await this.db
      .insertInto('transition_requests')
      .values({
        model_id: row.modelId,
        version_id: row.versionId,
        kind: row.kind,
        target: row.target,
        status: 'pending',
        requested_by: row.requestedBy,
        comment: row.comment,
        required_approvals: row.requiredApprovals,
        created_at: row.at,
        decided_at: null,
        decided_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(id)
  }

  async byId(id: number): Promise<TransitionRequestListRow | undefined> {
    return this.listQuery().where('r.id', '=', id).executeTakeFirst()
  }

  async pendingFor(versionId: number, kind: string, target: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('transition_requests')
      .select('id')
      .where('version_id', '=', versionId)
      .where('kind', '=', kind)
      .where('target', '=', target)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    return row === undefined ? undefined : Number(row.id)
  }

  async search(search: RequestSearch): Promise<TransitionRequestListRow[]> {
    let query = this.listQuery()
    if (search.status) query = query.where('r.status', '=', search.status)
    if (search.modelId !== undefined) query = query.where('r.model_id', '=', search.modelId)
    if (search.requestedBy !== undefined) query = query.where('r.requested_by', '=', search.requestedBy)
    return query.orderBy('r.id', 'desc').limit(search.limit).execute()
  }

  async decide(id: number, status: string, by: string, at: number): Promise<void> {
    await this.db.updateTable('transition_requests').set({ status, decided_by: by, decided_at: at }).where('id', '=', id).execute()
  }

  async insertReview(row: { requestId: number; reviewer: string; decision: string; comment: string | null; at: number }): Promise<void> {
    await this.db.insertInto('request_reviews').values({ request_id: row.requestId, reviewer: row.reviewer, decision: row.decision, comment: row.comment, at: row.at }).execute()
  }

  async reviews(requestIds: number[]): Promise<RequestReviewRow[]> {
    if (requestIds.length === 0) return []
    return this.db.selectFrom('request_reviews').selectAll().where('request_id', 'in', requestIds).orderBy('id').execute()
  }

  /** The most recent version of the model, other than `exceptVersionId`, that the stage history shows entering Production. */
  async previousProduction(modelId: number, exceptVersionId: number): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('stage_transitions as t')
      .innerJoin('model_versions as v', 'v.id', 't.version_id')
      .select('v.id')
      .where('v.model_id', '=', modelId)
      .where('t.to_stage', '=', 'Production')
      .where('v.id', '!=', exceptVersionId)
      .orderBy('t.id', 'desc')
      .limit(1)
      .executeTakeFirst()
    return row === undefined ? undefined : Number(row.id)
  }

  private listQuery() {
    return this.db
      .selectFrom('transition_requests as r')
      .innerJoin('registered_models as m', 'm.id', 'r.model_id')
      .innerJoin('model_versions as v', 'v.id', 'r.version_id')
      .selectAll('r')
      .select(['m.name as model_name', 'v.version'])
  }
}
