import type { Kysely } from 'kysely'
import type { Database } from './database'
import type { DialectTraits } from './dialect-traits'
import { runPrepared } from './prepared'

export class AliasesRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly traits: DialectTraits,
  ) {}

  async list(modelIds: number[]): Promise<{ model_id: number; alias: string; version: number }[]> {
    if (modelIds.length === 0) return []
    return this.db
      .selectFrom('model_aliases as a')
      .innerJoin('model_versions as v', 'v.id', 'a.version_id')
      .select(['a.model_id', 'a.alias', 'v.version'])
      .where('a.model_id', 'in', modelIds)
      .orderBy('a.alias')
      .execute()
  }

  async versionId(modelId: number, alias: string): Promise<number | undefined> {
    const [row] = await runPrepared(this.db, this.traits, 'aliases.versionId', [modelId, alias], () =>
      this.db.selectFrom('model_aliases').select('version_id').where('model_id', '=', modelId).where('alias', '=', alias),
    )
    return row?.version_id
  }

  async set(modelId: number, alias: string, versionId: number, at: number): Promise<void> {
    await this.db
      .insertInto('model_aliases')
      .values({ model_id: modelId, alias, version_id: versionId, updated_at: at })
      .onConflict((oc) => oc.columns(['model_id', 'alias']).doUpdateSet({ version_id: versionId, updated_at: at }))
      .execute()
  }

  async delete(modelId: number, alias: string): Promise<boolean> {
    const result = await this.db.deleteFrom('model_aliases').where('model_id', '=', modelId).where('alias', '=', alias).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }
}
