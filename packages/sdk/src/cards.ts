import type { ModelCard, SetCardInput } from '@canon/api'
import { paths } from './paths'
import type { Transport } from './transport'

/** Model cards: one per model and one per version (a version card falls back to the model card field by field). */
export class CardsApi {
  constructor(private readonly http: Transport) {}

  /** The model card, or with `version` that version's card; both say whether the card is complete and what it lacks. */
  get(model: string, version?: number): Promise<ModelCard> {
    return this.http.json('GET', cardPath(model, version))
  }

  /** Replaces the card; a field left out is stored empty. */
  set(model: string, card: SetCardInput, version?: number): Promise<ModelCard> {
    return this.http.json('PUT', cardPath(model, version), { json: card })
  }

  /** The card as a Markdown document. */
  async export(model: string, version?: number): Promise<string> {
    const response = await this.http.request('GET', `${cardPath(model, version)}/export`, { headers: { accept: 'text/markdown' } })
    return response.text()
  }
}

const cardPath = (model: string, version?: number) => `${version === undefined ? paths.model(model) : paths.version(model, version)}/card`
