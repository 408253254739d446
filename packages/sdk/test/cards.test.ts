import { describe, expect, it } from 'vitest'
import { backends, makeVersion, useServer } from './support'

describe.each(backends)('model cards through the SDK (%s)', (backend) => {
  const ctx = useServer(backend)

  it('sets, reads and exports model and version cards', async () => {
    await makeVersion(ctx.canon, 'team/card model')
    const modelCard = await ctx.canon.cards.set('team/card model', { intendedUse: 'Churn outreach', owners: [{ name: 'CRM', contact: 'crm@example.com' }], body: 'Hello.' })
    expect(modelCard).toMatchObject({ model: 'team/card model', version: null, intendedUse: 'Churn outreach', complete: false })
    expect(modelCard.missingFields).toEqual(['outOfScopeUses', 'trainingData', 'evaluationResults', 'limitationsAndBiases', 'ethicalConsiderations'])
    await ctx.canon.cards.set('team/card model', { trainingData: 'CRM 2025' }, 1)
    expect(await ctx.canon.cards.get('team/card model', 1)).toMatchObject({ version: 1, trainingData: 'CRM 2025', intendedUse: '', inheritedFields: ['intendedUse', 'owners'] })
    const markdown = await ctx.canon.cards.export('team/card model', 1)
    expect(markdown).toMatch(/^# Model card: team\/card model, version 1\n\n_Last updated \S+ by tester\._\n\nHello\.\n/)
    expect(markdown).toContain('## Training data\n\nCRM 2025\n')
  })

  it('rebuilds the server error for a card of a model that does not exist', async () => {
    await expect(ctx.canon.cards.export('no-such-model')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND', status: 404 })
    await expect(ctx.canon.cards.set('no-such-model', {}, 2)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND', status: 404 })
  })
})
