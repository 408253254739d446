import { describe, expect, it } from 'vitest'
import { openMetadataStore } from '../../src/store/metadata-store'
import { backends } from '../support/backends'
import { createTestDatabase } from '../support/postgres'

describe.runIf(backends.includes('postgres'))('PostgreSQL migrations', () => {
  it('two instances starting at once apply each migration exactly once', async () => {
    const database = await createTestDatabase()
    const first = openMetadataStore({ kind: 'postgres', url: database.url })
    const second = openMetadataStore({ kind: 'postgres', url: database.url })
    try {
      const [a, b] = await Promise.all([first.migrate(), second.migrate()])
      expect([...a, ...b].sort()).toEqual(['001-initial', '002-tracking', '003-identities', '004-approvals', '005-requests', '006-model-cards', '007-lineage', '008-deployments', '009-webhooks', '010-schedules', '011-upload-sessions', '012-search-indexes'])
      expect(await first.audit.head()).toEqual({ seq: 0, hash: 'genesis' })
    } finally {
      await first.close()
      await second.close()
      await database.drop()
    }
  })
})
