import type { Kysely } from 'kysely'
import type { CardColumns, Database } from './database'
import type { CardContent } from '../domain/model-card'

/** A stored card with who wrote it last. */
export interface StoredCard {
  content: CardContent
  updatedAt: number
  updatedBy: string
}

/** Which card: a registered model's own, or one version's. */
export type CardOwnerKey = { modelId: number } | { versionId: number }

const toColumns = (card: CardContent): Omit<CardColumns, 'updated_at' | 'updated_by'> => ({
  intended_use: card.intendedUse,
  out_of_scope_uses: card.outOfScopeUses,
  training_data: card.trainingData,
  evaluation_results: card.evaluationResults,
  limitations_and_biases: card.limitationsAndBiases,
  ethical_considerations: card.ethicalConsiderations,
  owners: JSON.stringify(card.owners),
  body: card.body,
})

const fromColumns = (row: CardColumns): StoredCard => ({
  content: {
    intendedUse: row.intended_use,
    outOfScopeUses: row.out_of_scope_uses,
    trainingData: row.training_data,
    evaluationResults: row.evaluation_results,
    limitationsAndBiases: row.limitations_and_biases,
    ethicalConsiderations: row.ethical_considerations,
    owners: JSON.parse(row.owners) as CardContent['owners'],
    body: row.body,
  },
  updatedAt: Number(row.updated_at),
  updatedBy: row.updated_by,
})

export class CardsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async find(key: CardOwnerKey): Promise<StoredCard | undefined> {
    const row =
      'modelId' in key
        ? await this.db.selectFrom('model_cards').selectAll().where('model_id', '=', key.modelId).executeTakeFirst()
        : await this.db.selectFrom('version_cards').selectAll().where('version_id', '=', key.versionId).executeTakeFirst()
    return row && fromColumns(row)
  }

  /** Creates or replaces the card. */
  async save(key: CardOwnerKey, card: CardContent, at: number, actor: string): Promise<void> {
    const columns = { ...toColumns(card), updated_at: at, updated_by: actor }
    if ('modelId' in key) {
      await this.db
        .insertInto('model_cards')
        .values({ model_id: key.modelId, ...columns })
        .onConflict((oc) => oc.column('model_id').doUpdateSet(columns))
        .execute()
    } else {
      await this.db
        .insertInto('version_cards')
        .values({ version_id: key.versionId, ...columns })
        .onConflict((oc) => oc.column('version_id').doUpdateSet(columns))
        .execute()
    }
  }
}
