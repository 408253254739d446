import { fixture } from './fixtures'
import { text, type BadRequest, type RouteTable } from './cases'

const USERS = '/api/v1/users'
const USER = `${USERS}/${fixture.user}`
const GRANTS = `${USER}/grants`
const TOKENS = `${USER}/tokens`

const createUser = (behaviour: string, json: unknown, status = 400, code: BadRequest['code'] = 'INVALID_INPUT'): BadRequest => ({ behaviour, method: 'POST', path: USERS, json, status, code })
const grant = (behaviour: string, json: unknown): BadRequest => ({ behaviour, method: 'PUT', path: GRANTS, json, status: 400, code: 'INVALID_INPUT' })
const revokeGrant = (behaviour: string, query: string, status = 400, code: BadRequest['code'] = 'INVALID_INPUT'): BadRequest => ({ behaviour, method: 'DELETE', path: `${GRANTS}?${query}`, status, code })
const createToken = (behaviour: string, json: unknown, code: BadRequest['code'] = 'INVALID_INPUT'): BadRequest => ({ behaviour, method: 'POST', path: TOKENS, json, status: 400, code })
const q = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

/** Users, grants and API tokens. Auth is off in this file, so the local user is an admin and every refusal is about the input. */
export const identityCases: RouteTable = {
  'GET /api/v1/whoami': {
    params: {},
    cases: [{ behaviour: 'answers ROUTE_NOT_FOUND for a path below it', method: 'GET', path: '/api/v1/whoami/more', status: 404, code: 'ROUTE_NOT_FOUND' }],
  },

  'POST /api/v1/users': {
    params: {},
    body: { name: 'fresh-user' },
    cases: [
      createUser('rejects a user without a name', {}),
      createUser('rejects a name that is a number', { name: 42 }),
      createUser('rejects a name that is an object', { name: { first: 'ada' } }),
      // A malformed user name earns INVALID_NAME whatever is wrong with it, as a malformed model name does.
      createUser('rejects an empty name', { name: '' }, 400, 'INVALID_NAME'),
      createUser('rejects a name longer than 128 characters', { name: text(129, 'u') }, 400, 'INVALID_NAME'),
      createUser('rejects a name with a space or punctuation outside _ . @ -', { name: 'ada lovelace!' }, 400, 'INVALID_NAME'),
      createUser('rejects a name with a slash', { name: 'team/ada' }, 400, 'INVALID_NAME'),
      createUser('rejects a name containing NUL', { name: 'ada\u0000' }, 400, 'INVALID_NAME'),
      createUser("rejects a kind other than 'user' or 'service'", { name: 'fresh-user', kind: 'robot' }),
      createUser('rejects a kind that is a number', { name: 'fresh-user', kind: 1 }),
      createUser('answers USER_EXISTS when the name is taken', { name: fixture.user }, 409, 'USER_EXISTS'),
      createUser('answers USER_EXISTS for a service account whose name is taken by a user', { name: fixture.otherUser, kind: 'service' }, 409, 'USER_EXISTS'),
    ],
  },

  'GET /api/v1/users': {
    params: {},
    cases: [{ behaviour: 'rejects a trailing slash, which names an empty user', method: 'GET', path: `${USERS}/`, status: 400, code: 'INVALID_INPUT' }],
  },

  'GET /api/v1/users/{user}': { params: { user: fixture.user }, cases: [] },
  'POST /api/v1/users/{user}/disable': { params: { user: fixture.user }, cases: [] },
  'POST /api/v1/users/{user}/enable': { params: { user: fixture.user }, cases: [] },

  'PUT /api/v1/users/{user}/grants': {
    params: { user: fixture.user },
    body: { role: 'editor', scope: 'fraud-*' },
    cases: [
      grant('rejects a grant without a role', { scope: '*' }),
      grant('rejects a grant without a scope', { role: 'viewer' }),
      grant('rejects a role that does not exist', { role: 'owner', scope: '*' }),
      grant('rejects a role in the wrong case', { role: 'Admin', scope: '*' }),
      grant('rejects a role that is a number', { role: 1, scope: '*' }),
      grant('rejects a list of roles', { role: ['viewer', 'editor'], scope: '*' }),
      grant('rejects an empty scope', { role: 'viewer', scope: '' }),
      grant('rejects a scope that is a number', { role: 'viewer', scope: 7 }),
      grant("rejects a scope with '*' anywhere but at the end", { role: 'viewer', scope: 'fraud-*-eu' }),
      grant("rejects a scope of two '*'", { role: 'viewer', scope: '**' }),
      grant('rejects a scope longer than 257 characters', { role: 'viewer', scope: text(258, 's') }),
      grant('rejects a scope containing NUL', { role: 'viewer', scope: 'churn\u0000' }),
    ],
  },

  'DELETE /api/v1/users/{user}/grants': {
    params: { user: fixture.user },
    query: true,
    requiredQuery: q(fixture.userGrant),
    cases: [
      revokeGrant('rejects a request without a role', q({ scope: fixture.userGrant.scope })),
      revokeGrant('rejects a request without a scope', q({ role: fixture.userGrant.role })),
      revokeGrant('rejects a role that does not exist', q({ role: 'owner', scope: fixture.userGrant.scope })),
      revokeGrant("rejects a scope with '*' anywhere but at the end", q({ role: 'viewer', scope: 'fraud-*-eu' })),
      revokeGrant('rejects a role longer than 20 characters', q({ role: text(21, 'r'), scope: fixture.userGrant.scope })),
      revokeGrant('rejects an empty scope', q({ role: 'viewer', scope: '' })),
      revokeGrant('rejects a scope longer than 257 characters', q({ role: 'viewer', scope: text(258, 's') })),
      revokeGrant('rejects a scope containing NUL', q({ role: 'viewer', scope: 'churn\u0000' })),
      revokeGrant('answers GRANT_NOT_FOUND for a grant the user does not have', q({ role: 'admin', scope: '*' }), 404, 'GRANT_NOT_FOUND'),
      revokeGrant('answers GRANT_NOT_FOUND for the right role on another scope', q({ role: fixture.userGrant.role, scope: 'bad-input/*' }), 404, 'GRANT_NOT_FOUND'),
    ],
  },

  'POST /api/v1/users/{user}/tokens': {
    params: { user: fixture.user },
    body: { name: 'ci' },
    cases: [
      createToken('rejects a token without a name', {}),
      createToken('rejects a name that is a number', { name: 5 }),
      createToken('rejects an empty name', { name: '' }, 'INVALID_NAME'),
      createToken('rejects a name longer than 128 characters', { name: text(129, 't') }, 'INVALID_NAME'),
      createToken('rejects a name containing NUL', { name: 'ci\u0000' }, 'INVALID_NAME'),
      createToken('rejects an expiry of 0 days', { name: 'ci', expiresInDays: 0 }),
      createToken('rejects a negative expiry', { name: 'ci', expiresInDays: -1 }),
      createToken('rejects an expiry over ten years', { name: 'ci', expiresInDays: 3651 }),
      createToken('rejects a fractional expiry', { name: 'ci', expiresInDays: 1.5 }),
      createToken('rejects an expiry given as text', { name: 'ci', expiresInDays: '30' }),
      createToken('rejects a token value chosen by the caller', { name: 'ci', token: 'canon_chosen-by-the-caller-0123456789' }),
    ],
  },

  'GET /api/v1/users/{user}/tokens': { params: { user: fixture.user }, cases: [] },

  'DELETE /api/v1/users/{user}/tokens/{id}': {
    params: { user: fixture.user, id: String(fixture.tokenId) },
    cases: [
      {
        behaviour: "answers TOKEN_NOT_FOUND for another user's token",
        method: 'DELETE',
        path: `${TOKENS}/${fixture.otherTokenId}`,
        status: 404,
        code: 'TOKEN_NOT_FOUND',
      },
    ],
  },
}
