import { CardFieldNames, Limits, type CardFieldName, type CardOwner, type SetCardInput } from '@canon/api'
import { CanonError } from './errors'

/** What a model card or a version card holds: the structured fields, the owners and a Markdown body. */
export interface CardContent {
  intendedUse: string
  outOfScopeUses: string
  trainingData: string
  evaluationResults: string
  limitationsAndBiases: string
  ethicalConsiderations: string
  owners: CardOwner[]
  body: string
}

export type CardTextField = Exclude<CardFieldName, 'owners'>
export const cardTextFields = CardFieldNames.filter((f): f is CardTextField => f !== 'owners')

export const emptyCard = (): CardContent => ({
  intendedUse: '',
  outOfScopeUses: '',
  trainingData: '',
  evaluationResults: '',
  limitationsAndBiases: '',
  ethicalConsiderations: '',
  owners: [],
  body: '',
})

export function isCardField(name: string): name is CardFieldName {
  return (CardFieldNames as readonly string[]).includes(name)
}

function isFilled(card: Partial<CardContent>, field: CardFieldName): boolean {
  if (field === 'owners') return (card.owners?.length ?? 0) > 0
  return (card[field]?.trim() ?? '') !== ''
}

/**
 * The structured fields of `card` that are still empty (whitespace counts as empty; owners needs one entry), in the
 * order of `requiredFields`, which defaults to every structured field. A required name that is not a card field is
 * reported as missing, so a misspelt policy fails closed.
 */
export function missingCardFields(card: Partial<CardContent>, requiredFields: readonly string[] = CardFieldNames): string[] {
  return [...new Set(requiredFields)].filter((field) => !isCardField(field) || !isFilled(card, field))
}

/** A version card as readers see it: each empty field (and an empty body) taken from the model card. */
export function withModelFallback(versionCard: CardContent, modelCard: CardContent): { card: CardContent; inherited: CardFieldName[] } {
  const card = { ...versionCard }
  const inherited: CardFieldName[] = []
  for (const field of CardFieldNames) {
    if (isFilled(versionCard, field) || !isFilled(modelCard, field)) continue
    inherited.push(field)
    if (field === 'owners') card.owners = modelCard.owners
    else card[field] = modelCard[field]
  }
  if (card.body.trim() === '') card.body = modelCard.body
  return { card, inherited }
}

const invalid = (message: string, field: string) => new CanonError('INVALID_INPUT', message, { field })

/** Checks a card sent by a client (the HTTP schema says the same; this guards every other caller) and fills what it left out. */
export function checkCard(input: SetCardInput): CardContent {
  const card = emptyCard()
  for (const field of cardTextFields) card[field] = input[field] ?? ''
  card.body = input.body ?? ''
  if (input.owners !== undefined && !Array.isArray(input.owners)) throw invalid('Owners must be a list of {name, contact}.', 'owners')
  card.owners = (input.owners ?? []).map((o) => ({ name: o.name, contact: o.contact }))
  for (const field of cardTextFields) {
    if (typeof card[field] !== 'string') throw invalid(`Card field '${field}' must be text.`, field)
    if (card[field].length > Limits.cardField) throw invalid(`Card field '${field}' is ${card[field].length} characters long; the limit is ${Limits.cardField}.`, field)
  }
  if (typeof card.body !== 'string') throw invalid('The card body must be text.', 'body')
  if (card.body.length > Limits.cardBody) throw invalid(`The card body is ${card.body.length} characters long; the limit is ${Limits.cardBody}.`, 'body')
  if (card.owners.length > Limits.cardOwners) throw invalid(`A card names at most ${Limits.cardOwners} owners; got ${card.owners.length}.`, 'owners')
  card.owners.forEach((owner, i) => {
    if (typeof owner.name !== 'string' || owner.name.trim() === '') throw invalid(`Owner ${i + 1} has no name.`, `owners.${i}.name`)
    if (typeof owner.contact !== 'string') throw invalid(`The contact of owner ${i + 1} must be text.`, `owners.${i}.contact`)
    if (owner.name.length > Limits.cardField || owner.contact.length > Limits.cardField) {
      throw invalid(`Owner ${i + 1}: a name or contact is longer than ${Limits.cardField} characters.`, `owners.${i}`)
    }
  })
  return card
}
