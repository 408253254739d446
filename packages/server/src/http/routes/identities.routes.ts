import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { CreatedTokenSchema, CreateTokenBody, CreateUserBody, ErrorSchema, GrantBody, TokenSchema, UserSchema, WhoAmISchema } from '@canon/api'
import { CanonError } from '../../domain/errors'
import { can } from '../../domain/permissions'
import type { ApiTokenRow, GrantRow, UserRow } from '../../store/database'
import { createToken, createUser, getUser, grantRole, listTokens, listUsers, revokeRole, revokeToken, setUserDisabled } from '../../services/identities.service'
import { allow, globally } from '../permission-rules'
import type { RouteOptions } from './route-deps'

const tags = ['identities']
const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema }
const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString())
const UserParams = Type.Object({ user: Type.String({ minLength: 1, maxLength: 128 }) })
const TokenParams = Type.Object({ user: Type.String({ minLength: 1, maxLength: 128 }), id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) })

const userView = (user: UserRow, grants: GrantRow[]) => ({
  name: user.name,
  kind: user.kind,
  createdAt: iso(user.created_at)!,
  createdBy: user.created_by,
  disabled: user.disabled_at !== null,
  grants: grants.map((g) => ({ role: g.role, scope: g.scope })),
})
const tokenView = (t: ApiTokenRow) => ({
  id: Number(t.id),
  name: t.name,
  hint: t.hint,
  createdAt: iso(t.created_at)!,
  expiresAt: iso(t.expires_at),
  revokedAt: iso(t.revoked_at),
  lastUsedAt: iso(t.last_used_at),
})

/** Users manage their own tokens; anything about someone else takes a global admin grant. */
function requireSelfOrAdmin(request: FastifyRequest, user: string): void {
  const principal = request.principal!
  if (principal.name !== user && !can(principal.grants, 'admin', undefined)) {
    throw new CanonError('PERMISSION_DENIED', `${principal.name} may only manage their own tokens.`)
  }
}

export const identityRoutes: FastifyPluginAsyncTypebox<RouteOptions & { authEnabled: boolean }> = async (app, { deps, authEnabled }) => {
  app.get('/whoami', { config: allow.authenticated, schema: { tags, summary: 'Who the request acts as, and its grants', response: { 200: WhoAmISchema, ...errors } } }, async (request) => ({
    name: request.principal!.name,
    authEnabled,
    grants: request.principal!.grants,
  }))

  app.post('/users', { config: allow.admin(globally), schema: { tags, summary: 'Create a user or service account', body: CreateUserBody, response: { 201: UserSchema, ...errors } } }, async (request, reply) => {
    const user = await createUser(deps, request.actor, request.body)
    return reply.status(201).send(userView(user, []))
  })

  app.get('/users', { config: allow.admin(globally), schema: { tags, summary: 'Users with their grants', response: { 200: Type.Object({ items: Type.Array(UserSchema) }), ...errors } } }, async () => ({
    items: (await listUsers(deps)).map((u) => userView(u.user, u.grants)),
  }))

  app.get('/users/:user', { config: allow.admin(globally), schema: { tags, summary: 'One user with their grants', params: UserParams, response: { 200: UserSchema, ...errors } } }, async (request) => {
    const { user, grants } = await getUser(deps, request.params.user)
    return userView(user, grants)
  })

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(`/users/:user/${path}`, { config: allow.admin(globally), schema: { tags, summary: `${path[0]!.toUpperCase()}${path.slice(1)} a user`, params: UserParams, response: { 200: UserSchema, ...errors } } }, async (request) => {
      await setUserDisabled(deps, request.actor, request.params.user, disabled)
      const { user, grants } = await getUser(deps, request.params.user)
      return userView(user, grants)
    })
  }

  app.put('/users/:user/grants', { config: allow.admin(globally), schema: { tags, summary: 'Grant a role globally (*), on a model, or on a name prefix (fraud-*)', params: UserParams, body: GrantBody, response: { 200: UserSchema, ...errors } } }, async (request) => {
    await grantRole(deps, request.actor, { user: request.params.user, ...request.body })
    const { user, grants } = await getUser(deps, request.params.user)
    return userView(user, grants)
  })

  app.delete(
    '/users/:user/grants',
    { config: allow.admin(globally), schema: { tags, summary: 'Take a grant away', params: UserParams, querystring: Type.Object({ role: Type.String({ maxLength: 20 }), scope: Type.String({ minLength: 1, maxLength: 257 }) }, { additionalProperties: false }), response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await revokeRole(deps, request.actor, { user: request.params.user, ...request.query })
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/users/:user/tokens',
    { config: allow.authenticated, schema: { tags, summary: 'Create an API token (the token is shown in this response only)', params: UserParams, body: CreateTokenBody, response: { 201: CreatedTokenSchema, ...errors } } },
    async (request, reply) => {
      requireSelfOrAdmin(request, request.params.user)
      const { token, row } = await createToken(deps, request.actor, { user: request.params.user, name: request.body.name, expiresInDays: request.body.expiresInDays })
      return reply.status(201).send({ ...tokenView(row), token })
    },
  )

  app.get('/users/:user/tokens', { config: allow.authenticated, schema: { tags, summary: "A user's tokens (never the tokens themselves)", params: UserParams, response: { 200: Type.Object({ items: Type.Array(TokenSchema) }), ...errors } } }, async (request) => {
    requireSelfOrAdmin(request, request.params.user)
    return { items: (await listTokens(deps, request.params.user)).map(tokenView) }
  })

  app.delete('/users/:user/tokens/:id', { config: allow.authenticated, schema: { tags, summary: 'Revoke a token', params: TokenParams, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    requireSelfOrAdmin(request, request.params.user)
    await revokeToken(deps, request.actor, request.params.user, request.params.id)
    return reply.status(204).send(null)
  })
}
