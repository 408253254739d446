import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MetadataStore } from '../../src/store/metadata-store'
import { isUniqueViolation } from '../../src/store/dialect-errors'

/** One suite, every metadata store implementation: the behaviour the services rely on. */
export function metadataStoreContract(name: string, open: () => Promise<{ store: MetadataStore; cleanup(): Promise<void> }>) {
  describe(`${name} metadata store`, () => {
    let store: MetadataStore
    let cleanup: () => Promise<void>
    let at = 1_700_000_000_000
    const tick = () => ++at

    beforeAll(async () => {
      ;({ store, cleanup } = await open())
    })
    afterAll(async () => cleanup?.())

    const newModel = (name: string) => store.transaction((tx) => tx.models.insert({ name, description: '', at: tick(), actor: 'tester' }))

    it('applying migrations again changes nothing', async () => {
      expect(await store.migrate()).toEqual([])
    })

    it('refuses a second model with the same name as a unique violation', async () => {
      await newModel('dup')
      const error = await newModel('dup').catch((e: unknown) => e)
      expect(isUniqueViolation(error)).toBe(true)
    })

    it('hands out version numbers that only grow, and marks the model updated', async () => {
      const model = await newModel('counter')
      const claims = []
      for (let i = 0; i < 3; i++) claims.push(await store.transaction((tx) => tx.models.claimVersionNumber('counter', 5_000 + i)))
      expect(claims).toEqual([1, 2, 3].map((number) => ({ id: model.id, number })))
      expect((await store.models.byName('counter'))?.updated_at).toBe(5_002)
      expect(await store.transaction((tx) => tx.models.claimVersionNumber('no-such-model', 1))).toBeUndefined()
    })

    it('stores a version with its files, tags, metrics and params, and reads them back', async () => {
      const model = await newModel('full')
      const id = await store.transaction((tx) =>
        tx.versions.insert(
          { model_id: model.id, version: 1, description: 'd', stage: 'None', source: 's3://x', run_id: 'r1', file_count: 2, total_size: 30, created_at: tick(), updated_at: at, created_by: 'tester', stage_updated_at: at },
          {
            files: [
              { path: 'a/model.bin', size: 10, digest: `sha256:${'a'.repeat(64)}` },
              { path: 'conda.yaml', size: 20, digest: `sha256:${'b'.repeat(64)}` },
            ],
            tags: { team: 'risk' },
            metrics: { auc: 0.91, loss: 1e-9 },
            params: { depth: '6' },
          },
        ),
      )
      const row = await store.versions.byId(id)
      expect(row).toMatchObject({ model_name: 'full', version: 1, source: 's3://x', run_id: 'r1' })
      const details = await store.versions.details([id])
      expect(details.tags.get(id)).toEqual({ team: 'risk' })
      expect(details.metrics.get(id)).toEqual({ auc: 0.91, loss: 1e-9 })
      expect(details.params.get(id)).toEqual({ depth: '6' })
      expect((await store.versions.files(id)).map((f) => [f.path, Number(f.size)])).toEqual([
        ['a/model.bin', 10],
        ['conda.yaml', 20],
      ])
      expect(await store.versions.referencedDigests([`sha256:${'a'.repeat(64)}`, `sha256:${'c'.repeat(64)}`])).toEqual(new Set([`sha256:${'a'.repeat(64)}`]))
    })

    it('rolls back every write of a failed transaction', async () => {
      await store
        .transaction(async (tx) => {
          await tx.models.insert({ name: 'ghost', description: '', at: tick(), actor: 'tester' })
          throw new Error('boom')
        })
        .catch(() => {})
      expect(await store.models.byName('ghost')).toBeUndefined()
    })

    it('deleting a model removes its versions, tags and aliases', async () => {
      const model = await newModel('doomed')
      await store.transaction(async (tx) => {
        const id = await tx.versions.insert(
          { model_id: model.id, version: 1, description: '', stage: 'None', source: null, run_id: null, file_count: 0, total_size: 0, created_at: tick(), updated_at: at, created_by: 't', stage_updated_at: at },
          { files: [], tags: { a: 'b' }, metrics: {}, params: {} },
        )
        await tx.models.setTag(model.id, 'k', 'v')
        await tx.aliases.set(model.id, 'champion', id, at)
      })
      await store.transaction((tx) => tx.models.delete(model.id))
      expect(await store.versions.search({ modelId: model.id, tags: [], order: 'asc', limit: 10 })).toEqual([])
      expect(await store.aliases.list([model.id])).toEqual([])
      expect(await store.models.tags([model.id])).toEqual(new Map())
    })

    it('searches models by name substring case-insensitively, treating % and _ literally', async () => {
      await newModel('Fraud_Detector')
      await newModel('fraudXdetector')
      const rows = await store.models.search({ nameContains: 'fraud_', tags: [], sort: 'name', order: 'asc', limit: 10 })
      expect(rows.map((r) => r.name)).toEqual(['Fraud_Detector'])
    })

    it('pages models in a stable order with a keyset', async () => {
      for (const n of ['p-1', 'p-2', 'p-3', 'p-4', 'p-5']) await newModel(n)
      const first = await store.models.search({ nameContains: 'p-', tags: [], sort: 'name', order: 'asc', limit: 2 })
      const last = first.at(-1)!
      const second = await store.models.search({ nameContains: 'p-', tags: [], sort: 'name', order: 'asc', limit: 2, after: { value: last.name, id: last.id } })
      expect([...first, ...second].map((r) => r.name)).toEqual(['p-1', 'p-2', 'p-3', 'p-4'])
    })

    it('chains audit events so each links to the one before', async () => {
      const before = await store.audit.head()
      const one = await store.transaction((tx) => tx.audit.append({ at: tick(), actor: 'a', action: 'test.one', target: 'x' }))
      const two = await store.transaction((tx) => tx.audit.append({ at: tick(), actor: 'a', action: 'test.two', target: 'x', before: { n: 1 }, after: { n: 2 } }))
      expect(one.seq).toBe(before.seq + 1)
      expect(one.prev_hash).toBe(before.hash)
      expect(two.prev_hash).toBe(one.hash)
      expect(await store.audit.head()).toEqual({ seq: two.seq, hash: two.hash })
    })

    it('loses no audit event when many transactions append at once', async () => {
      const start = (await store.audit.head()).seq
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.transaction((tx) => tx.audit.append({ at: tick(), actor: 'a', action: 'test.concurrent', target: `t${i}` }))))
      const rows = await store.audit.list({ afterSeq: start, limit: 100 })
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 20 }, (_, i) => start + i + 1))
    })

    // Last: it changes the schema. A rolling upgrade's migration can add a column while hot statements are prepared.
    it('keeps answering prepared reads after a migration adds a column to their table', async () => {
      await newModel('before-upgrade')
      for (let i = 0; i < 6; i++) expect((await store.models.byName('before-upgrade'))?.name).toBe('before-upgrade')
      await sql`alter table registered_models add column upgrade_note text`.execute(store.db)
      const row = await store.models.byName('before-upgrade')
      expect(row).toMatchObject({ name: 'before-upgrade', upgrade_note: null })
    })
  })
}
