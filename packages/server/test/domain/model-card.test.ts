import { describe, expect, it } from 'vitest'
import { CardFieldNames } from '@canon/api'
import { checkCard, emptyCard, missingCardFields, withModelFallback } from '../../src/domain/model-card'
import { renderCardMarkdown } from '../../src/domain/model-card-markdown'

const complete = {
  ...emptyCard(),
  intendedUse: 'a',
  outOfScopeUses: 'b',
  trainingData: 'c',
  evaluationResults: 'd',
  limitationsAndBiases: 'e',
  ethicalConsiderations: 'f',
  owners: [{ name: 'Ann', contact: '' }],
}

describe('model card completeness', () => {
  it('names every structured field of an empty card, the body not among them', () => {
    expect(missingCardFields(emptyCard())).toEqual([...CardFieldNames])
    expect(missingCardFields({})).toEqual([...CardFieldNames])
  })

  it('counts whitespace as empty and needs at least one owner', () => {
    expect(missingCardFields({ ...complete, trainingData: ' \n\t', owners: [] })).toEqual(['trainingData', 'owners'])
    expect(missingCardFields(complete)).toEqual([])
  })

  it('checks only the fields a policy requires, and fails closed on a name that is not a card field', () => {
    expect(missingCardFields({ ...emptyCard(), intendedUse: 'x' }, ['intendedUse', 'owners'])).toEqual(['owners'])
    expect(missingCardFields(complete, ['intendedUse', 'intendedUse'])).toEqual([])
    expect(missingCardFields(complete, ['intendedUsage'])).toEqual(['intendedUsage'])
  })

  it('fills a version card from the model card field by field, and says which fields it took', () => {
    const { card, inherited } = withModelFallback({ ...emptyCard(), trainingData: 'own data' }, { ...complete, body: 'model body' })
    expect(card).toMatchObject({ trainingData: 'own data', intendedUse: 'a', owners: [{ name: 'Ann', contact: '' }], body: 'model body' })
    expect(inherited).toEqual(['intendedUse', 'outOfScopeUses', 'evaluationResults', 'limitationsAndBiases', 'ethicalConsiderations', 'owners'])
  })

  it('fills what a client left out and refuses what breaks a limit', () => {
    expect(checkCard({ intendedUse: 'x' })).toEqual({ ...emptyCard(), intendedUse: 'x' })
    expect(() => checkCard({ owners: [{ name: ' ', contact: '' }] })).toThrow(/no name/)
    expect(() => checkCard({ body: 'x'.repeat(100_001) })).toThrow(/limit is 100000/)
  })

  it('renders a card as Markdown with a section per field', () => {
    const text = renderCardMarkdown({ model: 'churn', version: 2, card: { ...complete, body: 'Hello.' }, inherited: ['owners'] })
    expect(text.startsWith('# Model card: churn, version 2\n\nHello.\n\n## Intended use\n\na\n')).toBe(true)
    expect(text).toContain('## Owners\n\n_From the model card._\n\n- Ann\n')
    expect(text.endsWith('_This card is complete._\n')).toBe(true)
  })
})
