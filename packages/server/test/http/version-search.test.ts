import { FilterLimits } from '@canon/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client } from '../support/http'

type Api = ReturnType<typeof client>

/** Five versions over two models, with keys some versions lack, so OR/NOT over missing keys is visible. */
async function seed(api: Api): Promise<void> {
  const file = await api.upload('model.bin', Buffer.from('weights'))
  const create = async (model: string, body: Record<string, unknown>) => {
    const created = await api.post(`/api/v1/models/${model}/versions`, { files: [file], ...body })
    if (created.status !== 201) throw new Error(`seed failed: ${JSON.stringify(created.body)}`)
  }
  await api.post('/api/v1/models', { name: 'churn' })
  await api.post('/api/v1/models', { name: 'fraud' })
  const events = (month: string, digest: string, role?: string) => ({ uri: `dataset://churn-events/${month}`, digest, ...(role && { role }) })
  await create('churn', { metrics: { val_auc: 0.95 }, params: { max_depth: '6' }, tags: { team: 'risk' }, runId: 'run-a', lineage: { datasets: [events('2024-06', 'sha256:aaa')] } })
  await create('churn', {
    metrics: { val_auc: 0.85 },
    params: { max_depth: '8' },
    tags: { team: 'growth' },
    lineage: { datasets: [events('2024-07', 'sha256:bbb', 'validation'), { uri: 's3://bucket/holdout.parquet', digest: 'sha256:ccc', role: 'test' }] },
  })
  await create('churn', { metrics: { val_auc: 0.92 }, tags: { note: "it's", 'my key': 'x' } })
  await create('fraud', { metrics: { val_auc: 0.97 }, params: { max_depth: '6' }, tags: { team: 'growth' } })
  await create('fraud', { tags: { team: 'risk' }, runId: 'run-b' })
  await api.post('/api/v1/models/churn/versions/1/stage', { stage: 'Production' })
  await api.post('/api/v1/models/fraud/versions/1/stage', { stage: 'Staging' })
  await api.post('/api/v1/models/churn/versions/2/approval', { status: 'approved' })
  await api.post('/api/v1/models/fraud/versions/2/approval', { status: 'rejected' })
  await api.put('/api/v1/models/churn/aliases/champion', { version: 1 })
  await api.put('/api/v1/models/fraud/aliases/challenger', { version: 2 })
}

const ALL = ['churn/1', 'churn/2', 'churn/3', 'fraud/1', 'fraud/2']

// filter → the exact versions it must return
const expectations: [string, string[]][] = [
  ["metrics.val_auc > 0.9 AND (tags.team = 'risk' OR params.max_depth = '6')", ['churn/1', 'fraud/1']],
  ['metrics.val_auc > 0.9', ['churn/1', 'churn/3', 'fraud/1']],
  ['NOT metrics.val_auc > 0.9', ['churn/2', 'fraud/2']],
  ['metrics.val_auc != 0.95', ['churn/2', 'churn/3', 'fraud/1']],
  ['metrics.val_auc >= 0.92 and metrics.val_auc <= 0.95', ['churn/1', 'churn/3']],
  ['metrics.val_auc IN (0.85, 0.97)', ['churn/2', 'fraud/1']],
  ['metrics.val_auc IS NULL', ['fraud/2']],
  ["tags.team = 'risk' OR tags.team = 'growth'", ['churn/1', 'churn/2', 'fraud/1', 'fraud/2']],
  ["NOT tags.team = 'risk'", ['churn/2', 'churn/3', 'fraud/1']],
  ["tags.team != 'risk'", ['churn/2', 'fraud/1']],
  ['tags.team IS NULL', ['churn/3']],
  ["tags.team = 'growth' OR tags.team = 'risk' AND metrics.val_auc > 0.9", ['churn/1', 'churn/2', 'fraud/1']],
  ["(tags.team = 'growth' OR tags.team = 'risk') AND metrics.val_auc > 0.9", ['churn/1', 'fraud/1']],
  ["NOT (tags.team = 'risk' OR metrics.val_auc < 0.9)", ['churn/3', 'fraud/1']],
  ["tags.`my key` = 'x'", ['churn/3']],
  ["tags.note = 'it''s'", ['churn/3']],
  ["tags.team LIKE 'ri%'", ['churn/1', 'fraud/2']],
  ["tags.team LIKE 'RI%'", []],
  ["tags.team ILIKE 'RI%'", ['churn/1', 'fraud/2']],
  ["tags.team NOT LIKE 'ri%'", ['churn/2', 'fraud/1']],
  ["params.max_depth IN ('6', '8')", ['churn/1', 'churn/2', 'fraud/1']],
  ["params.max_depth NOT IN ('6')", ['churn/2']],
  ["stage = 'Production'", ['churn/1']],
  ["stage IN ('Production', 'Staging')", ['churn/1', 'fraud/1']],
  ["stage != 'None'", ['churn/1', 'fraud/1']],
  ["approval = 'approved'", ['churn/2']],
  ["approval = 'pending'", ['churn/1', 'churn/3', 'fraud/1']],
  ["approval != 'pending' AND NOT approval = 'rejected'", ['churn/2']],
  ["alias = 'champion'", ['churn/1']],
  ["alias != 'champion'", ['churn/2', 'churn/3', 'fraud/1', 'fraud/2']],
  ['alias IS NOT NULL', ['churn/1', 'fraud/2']],
  ['NOT alias IS NULL', ['churn/1', 'fraud/2']],
  ["alias LIKE 'ch%'", ['churn/1', 'fraud/2']],
  ["model = 'fraud'", ['fraud/1', 'fraud/2']],
  ["name LIKE 'fr%'", ['fraud/1', 'fraud/2']],
  ["model ILIKE 'CHURN'", ['churn/1', 'churn/2', 'churn/3']],
  ["run_id = 'run-a'", ['churn/1']],
  ["NOT run_id = 'run-a'", ['churn/2', 'churn/3', 'fraud/1', 'fraud/2']],
  ["run_id != 'run-a'", ['fraud/2']],
  ['run_id IS NULL', ['churn/2', 'churn/3', 'fraud/1']],
  ["created >= '2000-01-01'", ALL],
  ["created < '2000-01-01T00:00:00Z'", []],
  ['created > 946684800000', ALL],
  ["dataset = 'dataset://churn-events/2024-06'", ['churn/1']],
  ["dataset LIKE 'dataset://churn-events/%'", ['churn/1', 'churn/2']],
  ["dataset.name = 'churn-events'", ['churn/1', 'churn/2']],
  ["dataset.name = 'holdout.parquet'", ['churn/2']],
  ["dataset.digest = 'sha256:bbb'", ['churn/2']],
  ["dataset.role IN ('validation', 'test')", ['churn/2']],
  ["dataset != 'dataset://churn-events/2024-06'", ['churn/2', 'churn/3', 'fraud/1', 'fraud/2']],
  ['dataset IS NULL', ['churn/3', 'fraud/1', 'fraud/2']],
  ["dataset.name = 'churn-events' AND NOT dataset.role = 'training'", ['churn/2']],
]

const names = (body: { items: { model: string; version: number }[] }) => body.items.map((v) => `${v.model}/${v.version}`).sort()

for (const backend of backends) {
  describe(`version search language over HTTP (${backend})`, () => {
    let server: TestServer
    let api: Api
    const search = (filter: string, extra = '') => api.get(`/api/v1/versions?filter=${encodeURIComponent(filter)}${extra}`)

    beforeAll(async () => {
      server = await startTestServer(backend)
      api = client(server.url)
      await seed(api)
    })
    afterAll(async () => server?.stop())

    for (const [filter, expected] of expectations) {
      it(`${filter} → ${expected.length === 0 ? 'nothing' : expected.join(', ')}`, async () => {
        const response = await search(filter)
        expect(response.status, JSON.stringify(response.body)).toBe(200)
        expect(names(response.body)).toEqual(expected)
      })
    }

    it('combines the filter with the other query parameters by AND', async () => {
      expect(names((await search("tags.team = 'risk'", '&stage=Production')).body)).toEqual(['churn/1'])
      expect(names((await search('metrics.val_auc > 0.9', '&tag=team%3Dgrowth')).body)).toEqual(['fraud/1'])
    })

    it("filters one model's versions on the model's own list route", async () => {
      const response = await api.get(`/api/v1/models/fraud/versions?filter=${encodeURIComponent("tags.team = 'risk'")}`)
      expect(names(response.body)).toEqual(['fraud/2'])
    })

    it('pages through a filtered result with the cursor, in order, without repeats', async () => {
      for (const order of ['desc', 'asc'] as const) {
        const seen: string[] = []
        let cursor: string | null = null
        do {
          const page: { body: { items: { model: string; version: number }[]; nextCursor: string | null } } = await search(
            'metrics.val_auc IS NOT NULL',
            `&limit=1&order=${order}${cursor ? `&cursor=${cursor}` : ''}`,
          )
          seen.push(...page.body.items.map((v) => `${v.model}/${v.version}`))
          cursor = page.body.nextCursor
        } while (cursor)
        const expected = ['churn/1', 'churn/2', 'churn/3', 'fraud/1']
        expect(seen).toEqual(order === 'asc' ? expected : [...expected].reverse())
      }
    })

    it("answers a syntax error with 400 INVALID_FILTER naming the character and what was expected", async () => {
      const response = await search('metrics.val_auc > 0.9 AND metrics.loss <')
      expect(response.status).toBe(400)
      expect(response.body.error.code).toBe('INVALID_FILTER')
      expect(response.body.error.message).toBe("Invalid filter at character 41: expected a value after '<'.")
      expect(response.body.error.details).toMatchObject({ position: 41, expected: ['a quoted string', 'a number'], found: 'the end of the filter' })
    })

    it.each([
      ["(stage = 'Production'", 22, "expected ')'"],
      ["stage = 'Deployed'", 9, "stage is one of 'None', 'Staging', 'Production', 'Archived'"],
      ["params.max_depth = 6", 20, "params are text: quote the value, e.g. '6'"],
      ["metrics.auc = 'high'", 15, 'metrics are numbers'],
      ["colour = 'red'", 1, "unknown field 'colour'"],
      ["tags.team = 'risk' tags.env = 'prod'", 20, 'expected AND, OR or the end of the filter'],
      ["tags.team = 'risk", 13, 'unterminated string'],
      ["metrics.auc LIKE '0.9%'", 13, 'metrics.auc cannot be compared with LIKE'],
      ["created > 'last tuesday'", 11, 'created takes an ISO 8601 date'],
      ['stage = ', 9, 'expected a value'],
      ["tags.team = 'a'; drop table model_versions", 16, "unexpected character ';'"],
    ])('refuses %s at character %i', async (filter, position, words) => {
      const response = await search(filter)
      expect(response.status).toBe(400)
      expect(response.body.error.code).toBe('INVALID_FILTER')
      expect(response.body.error.details.position).toBe(position)
      expect(response.body.error.message).toContain(`at character ${position}: `)
      expect(response.body.error.message).toContain(words)
    })

    it('bounds the filter: length, nesting depth, conditions and list size', async () => {
      const tooLong = await search(`tags.a = '${'x'.repeat(FilterLimits.length)}'`)
      expect([tooLong.status, tooLong.body.error.code]).toEqual([400, 'INVALID_FILTER'])
      const deep = await search(`${'('.repeat(FilterLimits.depth + 1)}stage = 'None'${')'.repeat(FilterLimits.depth + 1)}`)
      expect([deep.status, deep.body.error.code, deep.body.error.details.position]).toEqual([400, 'INVALID_FILTER', FilterLimits.depth + 1])
      const many = await search(Array.from({ length: FilterLimits.terms + 1 }, () => "stage = 'None'").join(' OR '))
      expect([many.status, many.body.error.code]).toEqual([400, 'INVALID_FILTER'])
      const list = await search(`params.x IN (${Array.from({ length: FilterLimits.listValues + 1 }, (_, i) => `'${i}'`).join(', ')})`)
      expect([list.status, list.body.error.code]).toEqual([400, 'INVALID_FILTER'])
    })

    it('treats hostile text as a value, never as SQL', async () => {
      const response = await search("tags.team = 'x'' OR 1=1 --' OR model = 'nobody\"; drop table model_versions; --'")
      expect(response.status).toBe(200)
      expect(response.body.items).toEqual([])
      expect((await api.get('/api/v1/versions')).body.items).toHaveLength(5)
    })
  })
}
