import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CardFieldNames, Limits } from '@canon/api'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client, enc } from '../support/http'

const MODEL = 'fraud/scorer'
const card = `/api/v1/models/${enc(MODEL)}/card`
const versionCard = (v: number) => `/api/v1/models/${enc(MODEL)}/versions/${v}/card`

const fullCard = {
  intendedUse: 'Scores card transactions for fraud review.',
  outOfScopeUses: 'Credit decisions.',
  trainingData: 'Q1–Q3 2025 transactions, EU only.',
  evaluationResults: 'AUC 0.91 on the Q4 holdout.',
  limitationsAndBiases: 'Under-represents new merchants.',
  ethicalConsiderations: 'Reviewed by the fairness board.',
  owners: [{ name: 'Fraud ML', contact: 'fraud-ml@example.com' }],
  body: '## Overview\n\nA gradient-boosted scorer.',
}

for (const backend of backends) {
  describe(`model cards (${backend})`, () => {
    let server: TestServer
    let api: ReturnType<typeof client>

    beforeAll(async () => {
      server = await startTestServer(backend)
      api = client(server.url)
      const file = await api.upload('model.bin', Buffer.from('card weights'))
      await api.post('/api/v1/models', { name: MODEL })
      await api.post(`/api/v1/models/${enc(MODEL)}/versions`, { files: [file] })
      await api.post(`/api/v1/models/${enc(MODEL)}/versions`, { files: [file] })
    })
    afterAll(async () => server?.stop())

    it('answers an empty, incomplete card for a model nobody has described yet', async () => {
      const { status, body } = await api.get(card)
      expect(status).toBe(200)
      expect(body).toMatchObject({ model: MODEL, version: null, intendedUse: '', owners: [], body: '', updatedAt: null, updatedBy: null, complete: false })
      expect(body.missingFields).toEqual([...CardFieldNames])
    })

    it('reports which fields a partly written model card still lacks', async () => {
      const { status, body } = await api.put(card, { intendedUse: 'Fraud review', trainingData: '   ', owners: [] })
      expect(status).toBe(200)
      expect(body).toMatchObject({ intendedUse: 'Fraud review', trainingData: '   ', complete: false, updatedBy: 'tester' })
      expect(body.missingFields).toEqual(['outOfScopeUses', 'trainingData', 'evaluationResults', 'limitationsAndBiases', 'ethicalConsiderations', 'owners'])
    })

    it('stores a complete model card and reads it back', async () => {
      const put = await api.put(card, fullCard)
      expect(put.body).toMatchObject({ ...fullCard, complete: true, missingFields: [] })
      const got = await api.get(card)
      expect(got.body).toEqual(put.body)
      expect(Date.parse(got.body.updatedAt)).not.toBeNaN()
    })

    it('replaces the whole card on PUT: a field left out is stored empty', async () => {
      const { body } = await api.put(card, { ...fullCard, ethicalConsiderations: undefined })
      expect(body.ethicalConsiderations).toBe('')
      expect(body.missingFields).toEqual(['ethicalConsiderations'])
      await api.put(card, fullCard)
    })

    it('exports the model card as Markdown', async () => {
      const response = await fetch(server.url + `${card}/export`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
      const text = await response.text()
      expect(text).toMatch(/^# Model card: fraud\/scorer\n/)
      expect(text).toContain('## Overview\n\nA gradient-boosted scorer.')
      expect(text).toContain('## Intended use\n\nScores card transactions for fraud review.\n')
      expect(text).toContain('## Training data\n\nQ1–Q3 2025 transactions, EU only.\n')
      expect(text).toContain('## Owners\n\n- Fraud ML (fraud-ml@example.com)\n')
      expect(text).toContain('_This card is complete._')
    })

    it('keeps a version card of its own, and counts the model card fields it falls back to as filled', async () => {
      const before = await api.get(versionCard(1))
      expect(before.body).toMatchObject({ version: 1, evaluationResults: '', updatedAt: null, complete: true, missingFields: [] })
      expect(before.body.inheritedFields).toEqual([...CardFieldNames])

      const { status, body } = await api.put(versionCard(1), { evaluationResults: 'AUC 0.93 on the Q4 holdout.', body: 'Retrained with November data.' })
      expect(status).toBe(200)
      expect(body).toMatchObject({ model: MODEL, version: 1, evaluationResults: 'AUC 0.93 on the Q4 holdout.', intendedUse: '', complete: true })
      expect(body.inheritedFields).toEqual(['intendedUse', 'outOfScopeUses', 'trainingData', 'limitationsAndBiases', 'ethicalConsiderations', 'owners'])
      expect((await api.get(versionCard(2))).body.evaluationResults, 'another version keeps its own (empty) card').toBe('')
    })

    it("exports a version card with the model card's fields where the version has none", async () => {
      const response = await fetch(server.url + `${versionCard(1)}/export`)
      expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
      const text = await response.text()
      expect(text).toMatch(/^# Model card: fraud\/scorer, version 1\n/)
      expect(text).toContain('Retrained with November data.')
      expect(text).not.toContain('A gradient-boosted scorer.')
      expect(text).toContain('## Evaluation results\n\nAUC 0.93 on the Q4 holdout.\n')
      expect(text).toContain('## Intended use\n\n_From the model card._\n\nScores card transactions for fraud review.\n')
      expect(text).toContain('- Fraud ML (fraud-ml@example.com)')
    })

    it('reports a version card incomplete when neither it nor the model card fills a field', async () => {
      await api.put(card, { ...fullCard, owners: [], limitationsAndBiases: '' })
      const { body } = await api.get(versionCard(2))
      expect(body).toMatchObject({ complete: false, missingFields: ['limitationsAndBiases', 'owners'] })
      const text = await (await fetch(server.url + `${versionCard(2)}/export`)).text()
      expect(text).toContain('## Owners\n\n_Not provided._')
      expect(text).toContain('_This card is incomplete: limitations and biases, owners not provided._')
      await api.put(card, fullCard)
    })

    it('audits every card change with what it was before and after, in the chain', async () => {
      const { body } = await api.get(`/api/v1/audit?action=card.update&model=${enc(MODEL)}`)
      const events = body.items as { target: string; actor: string; before: unknown; after: Record<string, unknown> }[]
      expect(events.map((e) => e.target)).toEqual([`model:${MODEL}`, `model:${MODEL}`, `model:${MODEL}`, `model:${MODEL}`, `version:${MODEL}/1`, `model:${MODEL}`, `model:${MODEL}`])
      expect(events[0]).toMatchObject({ actor: 'tester', before: null, after: { intendedUse: 'Fraud review', owners: [] } })
      expect(events[1]).toMatchObject({ before: { intendedUse: 'Fraud review' }, after: fullCard })
      expect(events[4]).toMatchObject({ before: null, after: { evaluationResults: 'AUC 0.93 on the Q4 holdout.', intendedUse: '' } })
      expect((await api.get('/api/v1/audit/verify')).body).toMatchObject({ ok: true })
    })

    it('refuses a field, body or owner list over its limit with INVALID_INPUT, and keeps the card', async () => {
      const tooLong = [
        { intendedUse: 'x'.repeat(Limits.cardField + 1) },
        { body: 'x'.repeat(Limits.cardBody + 1) },
        { owners: Array.from({ length: Limits.cardOwners + 1 }, (_, i) => ({ name: `owner ${i}`, contact: '' })) },
        { owners: [{ name: '', contact: 'nobody@example.com' }] },
        { owners: [{ name: 'No contact' }] },
        { trainingData: 42 },
        { sections: 'not a card field' },
      ]
      for (const bad of tooLong) {
        for (const path of [card, versionCard(1)]) {
          const { status, body } = await api.put(path, bad)
          expect(status, JSON.stringify(bad).slice(0, 80)).toBe(400)
          expect(body.error.code).toBe('INVALID_INPUT')
        }
      }
      expect((await api.get(card)).body).toMatchObject(fullCard)
      const atLimit = await api.put(versionCard(2), { intendedUse: 'x'.repeat(Limits.cardField), body: 'y'.repeat(Limits.cardBody) })
      expect(atLimit.status).toBe(200)
    })

    it('answers MODEL_NOT_FOUND and VERSION_NOT_FOUND for cards of things that do not exist', async () => {
      for (const path of ['/api/v1/models/nope/card', '/api/v1/models/nope/card/export', '/api/v1/models/nope/versions/1/card']) {
        const { status, body } = await api.get(path)
        expect([status, body.error.code]).toEqual([404, 'MODEL_NOT_FOUND'])
      }
      expect((await api.put('/api/v1/models/nope/card', fullCard)).status).toBe(404)
      for (const path of [versionCard(9), `${versionCard(9)}/export`]) {
        const { status, body } = await api.get(path)
        expect([status, body.error.code]).toEqual([404, 'VERSION_NOT_FOUND'])
      }
      expect((await api.put(versionCard(9), fullCard)).body.error.code).toBe('VERSION_NOT_FOUND')
    })

    it('keeps the card when the model is renamed, and drops a version card with its version', async () => {
      await api.patch(`/api/v1/models/${enc(MODEL)}`, { name: 'fraud/renamed' })
      expect((await api.get('/api/v1/models/fraud%2Frenamed/card')).body).toMatchObject({ model: 'fraud/renamed', intendedUse: fullCard.intendedUse })
      const versionCards = async () => Number((await server.store.db.selectFrom('version_cards').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
      const held = await versionCards()
      expect((await api.delete('/api/v1/models/fraud%2Frenamed/versions/1')).status).toBe(204)
      expect(await versionCards()).toBe(held - 1)
      await api.patch('/api/v1/models/fraud%2Frenamed', { name: MODEL })
    })
  })
}
