import type { ApiToken, CreatedToken, User, WhoAmI } from '@canon/api'
import type { Transport } from './transport'

const segment = encodeURIComponent

/** Users, service accounts, their API tokens and role grants. */
export class IdentitiesApi {
  constructor(private readonly http: Transport) {}

  whoami(): Promise<WhoAmI> {
    return this.http.json('GET', '/api/v1/whoami')
  }

  createUser(name: string, kind: 'user' | 'service' = 'user'): Promise<User> {
    return this.http.json('POST', '/api/v1/users', { json: { name, kind } })
  }

  async listUsers(): Promise<User[]> {
    return (await this.http.json<{ items: User[] }>('GET', '/api/v1/users')).items
  }

  getUser(name: string): Promise<User> {
    return this.http.json('GET', `/api/v1/users/${segment(name)}`)
  }

  setDisabled(name: string, disabled: boolean): Promise<User> {
    return this.http.json('POST', `/api/v1/users/${segment(name)}/${disabled ? 'disable' : 'enable'}`)
  }

  /** scope: '*' (everything), a model name, or a prefix ending in '*' such as 'fraud-*' */
  grant(name: string, role: 'viewer' | 'editor' | 'approver' | 'admin', scope: string): Promise<User> {
    return this.http.json('PUT', `/api/v1/users/${segment(name)}/grants`, { json: { role, scope } })
  }

  async revokeGrant(name: string, role: string, scope: string): Promise<void> {
    await this.http.send('DELETE', `/api/v1/users/${segment(name)}/grants`, { query: { role, scope } })
  }

  /** The returned `token` is shown this once; the server keeps only its hash. */
  createToken(user: string, name: string, expiresInDays?: number): Promise<CreatedToken> {
    return this.http.json('POST', `/api/v1/users/${segment(user)}/tokens`, { json: { name, ...(expiresInDays !== undefined && { expiresInDays }) } })
  }

  async listTokens(user: string): Promise<ApiToken[]> {
    return (await this.http.json<{ items: ApiToken[] }>('GET', `/api/v1/users/${segment(user)}/tokens`)).items
  }

  async revokeToken(user: string, id: number): Promise<void> {
    await this.http.send('DELETE', `/api/v1/users/${segment(user)}/tokens/${id}`)
  }
}
