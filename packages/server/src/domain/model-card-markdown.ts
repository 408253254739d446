import type { CardFieldName } from '@canon/api'
import { cardTextFields, missingCardFields, type CardContent, type CardTextField } from './model-card'

const headings: Record<CardTextField, string> = {
  intendedUse: 'Intended use',
  outOfScopeUses: 'Out-of-scope uses',
  trainingData: 'Training data',
  evaluationResults: 'Evaluation results',
  limitationsAndBiases: 'Limitations and biases',
  ethicalConsiderations: 'Ethical considerations',
}
const labels: Record<CardFieldName, string> = { ...headings, owners: 'Owners' }

export interface CardDocument {
  model: string
  /** undefined for the model card */
  version?: number
  card: CardContent
  /** fields a version card takes from the model card */
  inherited?: readonly CardFieldName[]
  updatedAt?: string | null
  updatedBy?: string | null
}

/** A card as a Markdown document: title, body, one section per structured field, owners, and what is still missing. */
export function renderCardMarkdown(doc: CardDocument): string {
  const { card } = doc
  const inherited = new Set(doc.inherited ?? [])
  const fromModel = (field: CardFieldName) => (inherited.has(field) ? ['_From the model card._', ''] : [])
  const lines: string[] = [`# Model card: ${doc.model}${doc.version === undefined ? '' : `, version ${doc.version}`}`, '']
  if (doc.updatedAt) lines.push(`_Last updated ${doc.updatedAt}${doc.updatedBy ? ` by ${doc.updatedBy}` : ''}._`, '')
  if (card.body.trim() !== '') lines.push(card.body.trim(), '')
  for (const field of cardTextFields) {
    const text = card[field].trim()
    lines.push(`## ${headings[field]}`, '', ...fromModel(field), text === '' ? '_Not provided._' : text, '')
  }
  lines.push('## Owners', '', ...fromModel('owners'))
  if (card.owners.length === 0) lines.push('_Not provided._')
  for (const owner of card.owners) lines.push(`- ${owner.name.trim()}${owner.contact.trim() ? ` (${owner.contact.trim()})` : ''}`)
  lines.push('')
  const missing = missingCardFields(card) as CardFieldName[]
  lines.push(missing.length === 0 ? '_This card is complete._' : `_This card is incomplete: ${missing.map((f) => labels[f].toLowerCase()).join(', ')} not provided._`)
  return `${lines.join('\n')}\n`
}
