import type { Kysely } from 'kysely'
import type { Database, ExperimentRow } from './database'
import { groupKeyValues } from './query-helpers'

export class ExperimentsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async byId(id: number): Promise<ExperimentRow | undefined> {
    return this.db.selectFrom('experiments').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async byName(name: string): Promise<ExperimentRow | undefined> {
    return this.db.selectFrom('experiments').selectAll().where('name', '=', name).executeTakeFirst()
  }

  /** Inserts with a placeholder location, then sets the location that needs the new id. */
  async insert(row: { name: string; artifactLocation: (id: number) => string; at: number }): Promise<ExperimentRow> {
    const inserted = await this.db
      .insertInto('experiments')
      .values({ name: row.name, artifact_location: '', lifecycle_stage: 'active', creation_time: row.at, last_update_time: row.at })
      .returningAll()
      .executeTakeFirstOrThrow()
    const artifact_location = row.artifactLocation(Number(inserted.id))
    await this.db.updateTable('experiments').set({ artifact_location }).where('id', '=', inserted.id).execute()
    return { ...inserted, artifact_location }
  }

  async update(id: number, patch: { name?: string; lifecycle_stage?: string; at: number }): Promise<void> {
    await this.db
      .updateTable('experiments')
      .set({ last_update_time: patch.at, ...(patch.name !== undefined && { name: patch.name }), ...(patch.lifecycle_stage !== undefined && { lifecycle_stage: patch.lifecycle_stage }) })
      .where('id', '=', id)
      .execute()
  }

  async setTag(id: number, key: string, value: string): Promise<void> {
    await this.db
      .insertInto('experiment_tags')
      .values({ experiment_id: id, key, value })
      .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value }))
      .execute()
  }

  async tags(ids: number[]): Promise<Map<number, Record<string, string>>> {
    if (ids.length === 0) return new Map()
    const rows = await this.db.selectFrom('experiment_tags').select(['experiment_id as owner', 'key', 'value']).where('experiment_id', 'in', ids).execute()
    return groupKeyValues(rows)
  }

  /** All experiments in a lifecycle view, for search; filtered and ordered by the caller (experiment counts stay small). */
  async list(stages: string[], limit: number): Promise<ExperimentRow[]> {
    return this.db.selectFrom('experiments').selectAll().where('lifecycle_stage', 'in', stages).orderBy('id').limit(limit).execute()
  }
}
