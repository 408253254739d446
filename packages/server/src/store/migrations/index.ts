import type { Kysely } from 'kysely'
import type { Migration, MigrationProvider } from 'kysely/migration'
import type { DialectTraits } from '../dialect-traits'
import * as initial from './001-initial'
import * as tracking from './002-tracking'
import * as identities from './003-identities'
import * as approvals from './004-approvals'
import * as requests from './005-requests'
import * as modelCards from './006-model-cards'
import * as lineage from './007-lineage'
import * as deployments from './008-deployments'
import * as webhooks from './009-webhooks'
import * as schedules from './010-schedules'
import * as uploadSessions from './011-upload-sessions'
import * as searchIndexes from './012-search-indexes'

type VersionedMigration = { up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> }

// Append only: a released migration is never edited, a change is a new file.
const migrations: Record<string, VersionedMigration> = {
  '001-initial': initial,
  '002-tracking': tracking,
  '003-identities': identities,
  '004-approvals': approvals,
  '005-requests': requests,
  '006-model-cards': modelCards,
  '007-lineage': lineage,
  '008-deployments': deployments,
  '009-webhooks': webhooks,
  '010-schedules': schedules,
  '011-upload-sessions': uploadSessions,
  '012-search-indexes': searchIndexes,
}

export function migrationProvider(traits: DialectTraits): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(
        Object.entries(migrations).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, traits) }]),
      )
    },
  }
}
