import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CanonClient, type ModelCard } from '@canon/sdk'
import { backends, startTestServer, tempDir, type TestServer } from '../../server/test/support/backends'
import { canonAt, jsonOf, type CanonRun } from './run-canon'

const model = 'fraud team/scorer'
const cardFile = {
  intendedUse: 'Scores card transactions for fraud review.',
  outOfScopeUses: 'Credit decisions.',
  trainingData: '2025 EU transactions.',
  evaluationResults: 'AUC 0.91 on the Q4 holdout.',
  limitationsAndBiases: 'Under-represents new merchants.',
  ethicalConsiderations: 'Reviewed by the fairness board.',
  owners: [{ name: 'Fraud ML', contact: 'fraud-ml@example.com' }],
  body: 'A gradient-boosted scorer.',
}

describe.each(backends)('a user writes and exports model cards with the canon CLI (%s)', (backend) => {
  let server: TestServer
  let scratch: Awaited<ReturnType<typeof tempDir>>
  let canon: (...args: string[]) => Promise<CanonRun>
  const at = (name: string) => join(scratch.path, name)

  beforeAll(async () => {
    server = await startTestServer(backend)
    scratch = await tempDir('canon-cards-')
    canon = canonAt(server.url)
    const sdk = new CanonClient({ url: server.url })
    await sdk.models.create({ name: model })
    const file = at('model.bin')
    await writeFile(file, 'weights')
    await sdk.pushVersion(model, file)
  })
  afterAll(async () => {
    await server?.stop()
    await scratch?.remove()
  })

  it('sets a model card from a JSON file and reports it complete', async () => {
    await writeFile(at('card.json'), JSON.stringify(cardFile))
    const set = await canon('card', 'set', model, '--file', at('card.json'))
    expect(set).toMatchObject({ code: 0, stderr: '', stdout: `Saved the card of '${model}': complete.\n` })
    const shown = await canon('card', 'get', model)
    expect(shown.stdout).toMatch(/^Card: +'fraud team\/scorer'\nStatus: +complete\n/)
    expect(shown.stdout).toContain('Fraud ML <fraud-ml@example.com>')
  })

  it('changes single fields of a version card with flags and shows what it inherits', async () => {
    const set = await canon('card', 'set', model, '1', '--evaluation-results', 'AUC 0.93 on the Q4 holdout.', '--owner', 'Risk Team <risk@example.com>')
    expect(set.code).toBe(0)
    await canon('card', 'set', model, '1', '--body', 'Retrained in November.')
    const card = await jsonOf<ModelCard>(canon('card', 'get', model, '1', '--json'))
    expect(card).toMatchObject({ version: 1, evaluationResults: 'AUC 0.93 on the Q4 holdout.', owners: [{ name: 'Risk Team', contact: 'risk@example.com' }], body: 'Retrained in November.', complete: true })
    expect(card.inheritedFields).toEqual(['intendedUse', 'outOfScopeUses', 'trainingData', 'limitationsAndBiases', 'ethicalConsiderations'])
  })

  it('round-trips a card printed with --json through --file', async () => {
    await writeFile(at('roundtrip.json'), (await canon('card', 'get', model, '--json')).stdout)
    const again = await canon('card', 'set', model, '--file', at('roundtrip.json'), '--training-data', '2025 EU and UK transactions.')
    expect(again.code, again.stderr).toBe(0)
    expect(await jsonOf<ModelCard>(canon('card', 'get', model, '--json'))).toMatchObject({ ...cardFile, trainingData: '2025 EU and UK transactions.' })
  })

  it('exports a version card as Markdown, to a file or to stdout, filled from the model card', async () => {
    const exported = await canon('card', 'export', model, '1', '--output', at('card.md'))
    expect(exported).toMatchObject({ code: 0, stdout: '', stderr: `Wrote the card of '${model}' version 1 to ${at('card.md')}.\n` })
    const markdown = await readFile(at('card.md'), 'utf8')
    expect(markdown).toMatch(/^# Model card: fraud team\/scorer, version 1\n/)
    expect(markdown).toContain('## Evaluation results\n\nAUC 0.93 on the Q4 holdout.\n')
    expect(markdown).toContain('## Training data\n\n_From the model card._\n\n2025 EU and UK transactions.\n')
    expect(markdown).toContain('- Risk Team (risk@example.com)')
    expect((await canon('card', 'export', model, '1')).stdout).toBe(markdown)
  })

  it('refuses a set with nothing to write, a file that is not JSON, and a card over the limits', async () => {
    expect(await canon('card', 'set', model)).toMatchObject({ code: 2, stderr: expect.stringContaining('--file card.json') })
    await writeFile(at('broken.json'), '{"intendedUse": ')
    expect(await canon('card', 'set', model, '--file', at('broken.json'))).toMatchObject({ code: 2, stderr: expect.stringContaining('is not JSON') })
    const tooLong = await canon('card', 'set', model, '--intended-use', 'x'.repeat(20_001))
    expect(tooLong).toMatchObject({ code: 1, stderr: expect.stringContaining('(INVALID_INPUT)') })
    expect(await canon('card', 'get', 'no-such-model')).toMatchObject({ code: 1, stderr: expect.stringContaining('(MODEL_NOT_FOUND)') })
  })
})
