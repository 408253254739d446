import { sql, type Kysely } from 'kysely'
import type { Stage } from '@canon/api'
import type { Database, ModelRow } from './database'
import type { DialectTraits } from './dialect-traits'
import { groupKeyValues, likePattern } from './query-helpers'
import { visibleModels } from './visibility-filter'
import { runPrepared } from './prepared'
import type { Visibility } from '../domain/permissions'

export interface ModelListRow extends ModelRow {
  latest_version: number | null
  production_version: number | null
}

export interface ModelSearch {
  nameContains?: string
  tags: { key: string; value?: string }[]
  hasStage?: Stage
  /** models with a version in this approval status */
  hasApproval?: 'pending' | 'approved' | 'rejected'
  sort: 'name' | 'created' | 'updated'
  order: 'asc' | 'desc'
  after?: { value: string | number; id: number }
  limit: number
  visibility?: Visibility
}

const sortColumn = { name: 'name', created: 'created_at', updated: 'updated_at' } as const

export class ModelsRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly traits: DialectTraits,
  ) {}

  async byName(name: string): Promise<ModelRow | undefined> {
    const rows = await runPrepared(this.db, this.traits, 'models.byName', [name], () => this.db.selectFrom('registered_models').selectAll().where('name', '=', name))
    return rows[0]
  }

  async byId(id: number): Promise<ModelRow | undefined> {
    return this.db.selectFrom('registered_models').selectAll().where('id', '=', id).executeTakeFirst()
  }

  /** Reads the model and, on databases with row locks, holds its row until the transaction ends: every write to a model's versions serialises here. */
  async lockByName(name: string): Promise<ModelRow | undefined> {
    let query = this.db.selectFrom('registered_models').selectAll().where('name', '=', name)
    if (this.traits.rowLocks) query = query.forUpdate()
    return query.executeTakeFirst()
  }

  async insert(row: { name: string; description: string; at: number; actor: string }): Promise<ModelRow> {
    return this.db
      .insertInto('registered_models')
      .values({ name: row.name, description: row.description, created_at: row.at, updated_at: row.at, created_by: row.actor, next_version: 1 })
      .returningAll()
      .executeTakeFirstOrThrow()
  }

  async update(id: number, patch: { name?: string; description?: string; at: number }): Promise<void> {
    await this.db
      .updateTable('registered_models')
      .set({
        updated_at: patch.at,
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.description !== undefined && { description: patch.description }),
      })
      .where('id', '=', id)
      .execute()
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('registered_models').where('id', '=', id).execute()
  }

  /** Hands out the next version number; the counter only grows, so a deleted number is never reused. */
  /**
   * Takes the model's next version number and marks the model updated, in one statement. The UPDATE also locks the
   * model's row until the transaction ends, on both dialects, as lockByName does. Undefined if no model has that name.
   */
  async claimVersionNumber(name: string, at: number): Promise<{ id: number; number: number } | undefined> {
    const [row] = await runPrepared(this.db, this.traits, 'models.claimVersionNumber', [at, name], () =>
      this.db.updateTable('registered_models').set({ next_version: sql`next_version + 1`, updated_at: at }).where('name', '=', name).returning(['id', 'next_version']),
    )
    return row && { id: Number(row.id), number: Number(row.next_version) - 1 }
  }

  async tags(modelIds: number[]): Promise<Map<number, Record<string, string>>> {
    if (modelIds.length === 0) return new Map()
    const rows = await this.db.selectFrom('model_tags').select(['model_id as owner', 'key', 'value']).where('model_id', 'in', modelIds).execute()
    return groupKeyValues(rows)
  }

  async setTag(id: number, key: string, value: string): Promise<void> {
    await this.db
      .insertInto('model_tags')
      .values({ model_id: id, key, value })
      .onConflict((oc) => oc.columns(['model_id', 'key']).doUpdateSet({ value }))
      .execute()
  }

  async setTags(id: number, tags: Record<string, string>): Promise<void> {
    const values = Object.entries(tags).map(([key, value]) => ({ model_id: id, key, value }))
    if (values.length > 0) await this.db.insertInto('model_tags').values(values).execute()
  }

  async tagValue(id: number, key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('model_tags').select('value').where('model_id', '=', id).where('key', '=', key).executeTakeFirst()
    return row?.value
  }

  async deleteTag(id: number, key: string): Promise<boolean> {
    const result = await this.db.deleteFrom('model_tags').where('model_id', '=', id).where('key', '=', key).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async withSummary(ids: number[]): Promise<ModelListRow[]> {
    if (ids.length === 0) return []
    return this.summaryQuery().where('m.id', 'in', ids).execute()
  }

  async search(search: ModelSearch): Promise<ModelListRow[]> {
    const column = sortColumn[search.sort]
    const direction = search.order
    let query = this.summaryQuery()
    if (search.visibility) query = query.where(visibleModels(sql.ref('m.name'), search.visibility))
    if (search.nameContains) query = query.where(sql<boolean>`lower(m.name) like ${likePattern(search.nameContains.toLowerCase())} escape '\\'`)
    for (const tag of search.tags) {
      query = query.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('model_tags as t')
            .select(sql`1`.as('one'))
            .whereRef('t.model_id', '=', 'm.id')
            .where('t.key', '=', tag.key)
            .$if(tag.value !== undefined, (q) => q.where('t.value', '=', tag.value as string)),
        ),
      )
    }
    if (search.hasStage) {
      const stage = search.hasStage
      query = query.where(({ exists, selectFrom }) =>
        exists(selectFrom('model_versions as s').select(sql`1`.as('one')).whereRef('s.model_id', '=', 'm.id').where('s.stage', '=', stage)),
      )
    }
    if (search.hasApproval) {
      const status = search.hasApproval
      query = query.where(({ exists, selectFrom }) =>
        exists(selectFrom('model_versions as a').select(sql`1`.as('one')).whereRef('a.model_id', '=', 'm.id').where('a.approval_status', '=', status)),
      )
    }
    if (search.after) {
      const { value, id } = search.after
      const op = direction === 'asc' ? '>' : '<'
      query = query.where(({ eb, or, and }) =>
        or([eb(`m.${column}`, op, value as never), and([eb(`m.${column}`, '=', value as never), eb('m.id', op, id)])]),
      )
    }
    return query.orderBy(`m.${column}`, direction).orderBy('m.id', direction).limit(search.limit).execute()
  }

  private summaryQuery() {
    return this.db
      .selectFrom('registered_models as m')
      .selectAll('m')
      .select((eb) => [
        eb.selectFrom('model_versions as v').select((e) => e.fn.max('v.version').as('n')).whereRef('v.model_id', '=', 'm.id').as('latest_version'),
        eb
          .selectFrom('model_versions as p')
          .select((e) => e.fn.max('p.version').as('n'))
          .whereRef('p.model_id', '=', 'm.id')
          .where('p.stage', '=', 'Production')
          .as('production_version'),
      ])
  }
}
