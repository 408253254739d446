import { createHash, randomBytes } from 'node:crypto'
import { Limits } from '@canon/api'
import { CanonError } from '../domain/errors'
import { checkScope, isRole, type Grant } from '../domain/permissions'
import type { ApiTokenRow, UserRow } from '../store/database'
import { isUniqueViolation } from '../store/dialect-errors'
import type { Repos } from '../store/metadata-store'
import type { Actor, ServiceDeps } from './context'

/** Who a request acts as, and what it may do. */
export interface Principal extends Actor {
  userId: number | null
  grants: Grant[]
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

const USER_NAME = /^[A-Za-z0-9_.@-]{1,128}$/

function checkUserName(name: string): string {
  if (!USER_NAME.test(name)) throw new CanonError('INVALID_NAME', `User name '${name.slice(0, 64)}' is not allowed: use 1 to 128 letters, digits, '_', '.', '@' or '-'.`)
  return name
}

const userNotFound = (name: string) => new CanonError('USER_NOT_FOUND', `No user named '${name.slice(0, 128)}'.`, { user: name.slice(0, 128) })

async function requireUser(store: Repos, name: string): Promise<UserRow> {
  const user = await store.identities.userByName(name)
  if (!user) throw userNotFound(name)
  return user
}

export async function createUser(deps: ServiceDeps, actor: Actor, input: { name: string; kind?: 'user' | 'service' }): Promise<UserRow> {
  const name = checkUserName(input.name)
  const kind = input.kind ?? 'user'
  const at = deps.clock()
  return deps.store
    .transaction(async (tx) => {
      if (await tx.identities.userByName(name)) throw new CanonError('USER_EXISTS', `A user named '${name}' already exists.`, { user: name })
      const user = await tx.identities.insertUser({ name, kind, at, by: actor.name })
      await tx.audit.append({ at, actor: actor.name, action: 'user.create', target: `user:${name}`, after: { name, kind } })
      return user
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? new CanonError('USER_EXISTS', `A user named '${name}' already exists.`, { user: name }) : error
    })
}

export async function setUserDisabled(deps: ServiceDeps, actor: Actor, name: string, disabled: boolean): Promise<UserRow> {
  const at = deps.clock()
  return deps.store.transaction(async (tx) => {
    const user = await requireUser(tx, name)
    if (disabled && name === actor.name) throw new CanonError('INVALID_STATE', 'You cannot disable yourself; ask another admin.')
    await tx.identities.setDisabled(user.id, disabled ? at : null)
    await tx.audit.append({ at, actor: actor.name, action: disabled ? 'user.disable' : 'user.enable', target: `user:${name}` })
    return { ...user, disabled_at: disabled ? at : null }
  })
}

export async function listUsers(deps: ServiceDeps) {
  const users = await deps.store.identities.listUsers(1000)
  return Promise.all(users.map(async (u) => ({ user: u, grants: await deps.store.identities.grantsOf(u.id) })))
}

export async function getUser(deps: ServiceDeps, name: string) {
  const user = await requireUser(deps.store, name)
  return { user, grants: await deps.store.identities.grantsOf(user.id) }
}

/** Issues a token; the plain text is returned this once and only its hash is kept. */
export async function createToken(
  deps: ServiceDeps,
  actor: Actor,
  input: { user: string; name: string; expiresInDays?: number; plainText?: string },
): Promise<{ token: string; row: ApiTokenRow }> {
  const token = input.plainText ?? `canon_${randomBytes(32).toString('base64url')}`
  if (input.plainText !== undefined && input.plainText.length < 24) throw new CanonError('INVALID_INPUT', 'A token must be at least 24 characters long.')
  const at = deps.clock()
  const expiresAt = input.expiresInDays === undefined ? null : at + input.expiresInDays * 86_400_000
  const row = await deps.store.transaction(async (tx) => {
    const user = await requireUser(tx, input.user)
    const created = await tx.identities.insertToken({ userId: user.id, name: input.name, hash: hashToken(token), hint: `sha256:${hashToken(token).slice(0, 8)}`, at, expiresAt })
    await tx.audit.append({ at, actor: actor.name, action: 'token.create', target: `user:${user.name}`, after: { token: created.id, name: input.name, expiresAt } })
    return created
  })
  return { token, row }
}

export async function listTokens(deps: ServiceDeps, userName: string): Promise<ApiTokenRow[]> {
  const user = await requireUser(deps.store, userName)
  return deps.store.identities.tokensOf(user.id, Limits.pageSize)
}

export async function revokeToken(deps: ServiceDeps, actor: Actor, userName: string, tokenId: number): Promise<void> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const user = await requireUser(tx, userName)
    const token = await tx.identities.tokenById(tokenId)
    if (!token || token.user_id !== user.id) throw new CanonError('TOKEN_NOT_FOUND', `User '${userName}' has no token ${tokenId}.`)
    await tx.identities.revokeToken(tokenId, at)
    await tx.audit.append({ at, actor: actor.name, action: 'token.revoke', target: `user:${userName}`, before: { token: tokenId, name: token.name } })
  })
}

export async function grantRole(deps: ServiceDeps, actor: Actor, input: { user: string; role: string; scope: string }) {
  if (!isRole(input.role)) throw new CanonError('INVALID_INPUT', `Role '${input.role.slice(0, 30)}' does not exist: use viewer, editor, approver or admin.`)
  const scope = checkScope(input.scope)
  const at = deps.clock()
  return deps.store.transaction(async (tx) => {
    const user = await requireUser(tx, input.user)
    const grant = await tx.identities.insertGrant({ userId: user.id, role: input.role, scope, at, by: actor.name })
    await tx.audit.append({ at, actor: actor.name, action: 'grant.create', target: `user:${user.name}`, after: { role: input.role, scope } })
    return grant
  })
}

export async function revokeRole(deps: ServiceDeps, actor: Actor, input: { user: string; role: string; scope: string }): Promise<void> {
  if (!isRole(input.role)) throw new CanonError('INVALID_INPUT', `Role '${input.role.slice(0, 30)}' does not exist: use viewer, editor, approver or admin.`)
  checkScope(input.scope)
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const user = await requireUser(tx, input.user)
    if (!(await tx.identities.deleteGrant(user.id, input.role, input.scope))) {
      throw new CanonError('GRANT_NOT_FOUND', `User '${input.user}' has no ${input.role} grant on '${input.scope}'.`)
    }
    await tx.audit.append({ at, actor: actor.name, action: 'grant.delete', target: `user:${user.name}`, before: { role: input.role, scope: input.scope } })
  })
}

/** Resolves a presented token to its principal; anything wrong with it is UNAUTHENTICATED, with the reason. */
export async function authenticate(deps: ServiceDeps, token: string): Promise<Principal> {
  const row = await deps.store.identities.tokenByHash(hashToken(token))
  const now = deps.clock()
  if (!row) throw new CanonError('UNAUTHENTICATED', 'The token is not valid. Create one with `canon tokens create`.')
  if (row.revoked_at !== null) throw new CanonError('UNAUTHENTICATED', 'The token was revoked.')
  if (row.expires_at !== null && Number(row.expires_at) <= now) throw new CanonError('UNAUTHENTICATED', 'The token has expired.')
  if (row.user_disabled_at !== null) throw new CanonError('UNAUTHENTICATED', `User '${row.user_name}' is disabled.`)
  // Recorded at most once a minute, so reads do not turn into writes.
  if (row.last_used_at === null || now - Number(row.last_used_at) > 60_000) await deps.store.identities.touchToken(row.id, now)
  const grants = await deps.store.identities.grantsOf(row.user_id)
  return { name: row.user_name, userId: row.user_id, grants: grants.filter((g) => isRole(g.role)).map((g) => ({ role: g.role as Grant['role'], scope: g.scope })) }
}

/** First start with auth on: an `admin` user with a global admin grant and a token (CANON_ADMIN_TOKEN, or a new one returned to print once). */
export async function bootstrapAdmin(deps: ServiceDeps, presetToken: string | undefined): Promise<string | null> {
  if ((await deps.store.identities.countUsers()) > 0) {
    if (presetToken && !(await deps.store.identities.tokenByHash(hashToken(presetToken)))) {
      deps.log.warn('CANON_ADMIN_TOKEN is set but users already exist; it is ignored')
    }
    return null
  }
  const system = { name: 'canon-bootstrap' }
  await createUser(deps, system, { name: 'admin' })
  await grantRole(deps, system, { user: 'admin', role: 'admin', scope: '*' })
  const { token } = await createToken(deps, system, { user: 'admin', name: 'bootstrap', plainText: presetToken })
  return presetToken ? null : token
}
