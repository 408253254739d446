import type { ApiTokenRow } from '../../src/store/database'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import pg from 'pg'
import { expect } from 'vitest'
import type { ErrorCode } from '@canon/api'
import { startTestServer, type BackendName, type TestServer } from '../support/backends'

/** The token CANON_ADMIN_TOKEN hands the bootstrap admin in these tests. */
export const ADMIN_TOKEN = 'canon_test-admin-token-0123456789abcdef'

/** A real server with auth on, whose first start created user 'admin' holding ADMIN_TOKEN. */
export function startAuthServer(backend: BackendName, env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer(backend, { CANON_AUTH: 'on', CANON_ADMIN_TOKEN: ADMIN_TOKEN, ...env })
}

export interface Reply<T = any> {
  status: number
  headers: Headers
  text: string
  /** the parsed JSON body, or undefined */
  body: T
}

export interface Send {
  json?: unknown
  raw?: string | Uint8Array
  contentType?: string
  headers?: Record<string, string>
}

export type Credentials = { bearer: string } | { basic: { user: string; password: string } } | { header: string } | null

/** HTTP over loopback as one caller: a Bearer token, HTTP Basic, a literal Authorization header, or nobody. */
export class Caller {
  constructor(
    readonly baseUrl: string,
    readonly credentials: Credentials = null,
  ) {}

  authorization(): string | undefined {
    const c = this.credentials
    if (c === null) return undefined
    if ('bearer' in c) return `Bearer ${c.bearer}`
    if ('basic' in c) return `Basic ${Buffer.from(`${c.basic.user}:${c.basic.password}`).toString('base64')}`
    return c.header
  }

  async send<T = any>(method: string, path: string, options: Send = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers }
    const authorization = this.authorization()
    if (authorization) headers.authorization = authorization
    let body: string | Uint8Array | undefined
    if (options.json !== undefined) {
      body = JSON.stringify(options.json)
      headers['content-type'] = options.contentType ?? 'application/json'
    } else if (options.raw !== undefined) {
      body = options.raw
      if (options.contentType) headers['content-type'] = options.contentType
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body })
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = undefined
    }
    return { status: response.status, headers: response.headers, text, body: parsed as T }
  }

  /** A request that must succeed; returns its parsed body. */
  async ok<T = any>(method: string, path: string, json?: unknown): Promise<T> {
    const reply = await this.send<T>(method, path, json === undefined ? {} : { json })
    expect(reply.status, `${method} ${path} → ${reply.status} ${reply.text.slice(0, 300)}`).toBeLessThan(300)
    return reply.body
  }
}

export const bearer = (server: { url: string }, token: string) => new Caller(server.url, { bearer: token })
export const basic = (server: { url: string }, user: string, password: string) => new Caller(server.url, { basic: { user, password } })
export const nobody = (server: { url: string }) => new Caller(server.url)
export const adminOf = (server: { url: string }) => bearer(server, ADMIN_TOKEN)

export interface Grant {
  role: 'viewer' | 'editor' | 'approver' | 'admin'
  scope: string
}

/** Creates a user with these grants and one token; returns the token. */
export async function userWithToken(admin: Caller, name: string, grants: Grant[], kind: 'user' | 'service' = 'user'): Promise<string> {
  await admin.ok('POST', '/api/v1/users', { name, kind })
  for (const grant of grants) await admin.ok('PUT', `/api/v1/users/${name}/grants`, grant)
  const created = await admin.ok<{ token: string }>('POST', `/api/v1/users/${name}/tokens`, { name: 'tests' })
  return created.token
}

/** The native error shape, `{"error": {"code", "message"}}`, with this status and code. */
export function expectNativeError(reply: Reply, status: number, code: ErrorCode, context = ''): void {
  const seen = `${context} → ${reply.status} ${reply.text.slice(0, 300)}`
  expect({ status: reply.status, code: reply.body?.error?.code }, seen).toEqual({ status, code })
  expect(typeof reply.body?.error?.message === 'string' && reply.body.error.message.length > 0, seen).toBe(true)
}

/** The MLflow error shape, `{"error_code", "message"}`, with this status and code. */
export function expectMlflowError(reply: Reply, status: number, errorCode: string, context = ''): void {
  const seen = `${context} → ${reply.status} ${reply.text.slice(0, 300)}`
  expect({ status: reply.status, error_code: reply.body?.error_code }, seen).toEqual({ status, error_code: errorCode })
  expect(typeof reply.body?.message === 'string' && reply.body.message.length > 0, seen).toBe(true)
}

/** A row of the api_tokens table, read straight from the database. */
export type TokenRow = ApiTokenRow

/**
 * Reads or changes the server's database directly, behind its back: the SQLite file through node:sqlite (read-only
 * unless writing), or PostgreSQL through pg.
 */
export async function withDatabase<T>(server: TestServer, mode: 'read' | 'write', work: (query: (sql: string, params?: (string | number | null)[]) => Promise<any[]>) => Promise<T>): Promise<T> {
  if (server.databaseUrl) {
    const client = new pg.Client({ connectionString: server.databaseUrl })
    await client.connect()
    try {
      // the SQL is written with ? placeholders, as SQLite takes them
      return await work(async (sql, params = []) => {
        let n = 0
        return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows
      })
    } finally {
      await client.end()
    }
  }
  const db = new DatabaseSync(join(server.dataDir, 'canon.db'), { readOnly: mode === 'read' })
  try {
    db.exec('PRAGMA busy_timeout = 5000')
    return await work(async (sql, params = []) => db.prepare(sql).all(...params))
  } finally {
    db.close()
  }
}

export async function tokenRows(server: TestServer): Promise<TokenRow[]> {
  const rows = await withDatabase(server, 'read', (query) => query('select * from api_tokens order by id'))
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    user_id: Number(r.user_id),
    created_at: Number(r.created_at),
    expires_at: r.expires_at === null ? null : Number(r.expires_at),
    revoked_at: r.revoked_at === null ? null : Number(r.revoked_at),
    last_used_at: r.last_used_at === null ? null : Number(r.last_used_at),
  }))
}
