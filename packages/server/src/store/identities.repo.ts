import type { Kysely } from 'kysely'
import type { ApiTokenRow, Database, GrantRow, UserRow } from './database'

/** Users, their hashed API tokens and their grants. */
export class IdentitiesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async countUsers(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async userByName(name: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst()
  }

  async insertUser(row: { name: string; kind: string; at: number; by: string }): Promise<UserRow> {
    return this.db
      .insertInto('users')
      .values({ name: row.name, kind: row.kind, created_at: row.at, created_by: row.by, disabled_at: null })
      .returningAll()
      .executeTakeFirstOrThrow()
  }

  async setDisabled(userId: number, at: number | null): Promise<void> {
    await this.db.updateTable('users').set({ disabled_at: at }).where('id', '=', userId).execute()
  }

  async listUsers(limit: number): Promise<UserRow[]> {
    return this.db.selectFrom('users').selectAll().orderBy('name').limit(limit).execute()
  }

  async insertToken(row: { userId: number; name: string; hash: string; hint: string; at: number; expiresAt: number | null }): Promise<ApiTokenRow> {
    return this.db
      .insertInto('api_tokens')
      .values({ user_id: row.userId, name: row.name, token_hash: row.hash, hint: row.hint, created_at: row.at, expires_at: row.expiresAt, revoked_at: null, last_used_at: null })
      .returningAll()
      .executeTakeFirstOrThrow()
  }

  async tokenByHash(hash: string): Promise<(ApiTokenRow & { user_name: string; user_disabled_at: number | null }) | undefined> {
    return this.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .selectAll('t')
      .select(['u.name as user_name', 'u.disabled_at as user_disabled_at'])
      .where('t.token_hash', '=', hash)
      .executeTakeFirst()
  }

  /** The user's latest `limit` tokens, oldest first. */
  async tokensOf(userId: number, limit: number): Promise<ApiTokenRow[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).execute()
    return rows.reverse()
  }

  async tokenById(id: number): Promise<ApiTokenRow | undefined> {
    return this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async revokeToken(id: number, at: number): Promise<void> {
    await this.db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).execute()
  }

  async touchToken(id: number, at: number): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute()
  }

  async grantsOf(userId: number): Promise<GrantRow[]> {
    return this.db.selectFrom('grants').selectAll().where('user_id', '=', userId).orderBy('id').execute()
  }

  async insertGrant(row: { userId: number; role: string; scope: string; at: number; by: string }): Promise<GrantRow> {
    return this.db
      .insertInto('grants')
      .values({ user_id: row.userId, role: row.role, scope: row.scope, created_at: row.at, created_by: row.by })
      .onConflict((oc) => oc.columns(['user_id', 'role', 'scope']).doNothing())
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(async () => (await this.db.selectFrom('grants').selectAll().where('user_id', '=', row.userId).where('role', '=', row.role).where('scope', '=', row.scope).executeTakeFirstOrThrow()))
  }

  async deleteGrant(userId: number, role: string, scope: string): Promise<boolean> {
    const result = await this.db.deleteFrom('grants').where('user_id', '=', userId).where('role', '=', role).where('scope', '=', scope).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }
}
