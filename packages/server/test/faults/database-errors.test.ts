import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toErrorResponse } from '../../src/http/error-mapping'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { client } from '../support/http'

// A database that cannot answer right now is a 503 DATABASE_UNAVAILABLE the client may retry, never a 500.

describe('errors of an unreachable or busy database', () => {
  it.each([
    ['PostgreSQL shutting down (57P01)', { code: '57P01', message: 'terminating connection due to administrator command' }],
    ['PostgreSQL starting up (57P03)', { code: '57P03', message: 'the database system is starting up' }],
    ['a broken connection (08006)', { code: '08006', message: 'connection failure' }],
    ['too many connections (53300)', { code: '53300', message: 'sorry, too many clients already' }],
    ['nothing listening', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
    ['an exhausted pool', new Error('timeout exceeded when trying to connect')],
    ['a client whose connection died', new Error('Client has encountered a connection error and is not queryable')],
  ])('%s is 503 DATABASE_UNAVAILABLE', (_name, error) => {
    expect(toErrorResponse(error)).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE', message: expect.stringMatching(/cannot be reached right now; retry/) })
  })

  it.each([
    ['SQLITE_BUSY', 5],
    ['SQLITE_LOCKED', 6],
    ['SQLITE_BUSY_SNAPSHOT', 517],
  ])('%s is 503 DATABASE_UNAVAILABLE, saying the database is busy', (_name, errcode) => {
    expect(toErrorResponse(Object.assign(new Error('database is locked'), { code: 'ERR_SQLITE_ERROR', errcode }))).toMatchObject({
      status: 503,
      code: 'DATABASE_UNAVAILABLE',
      message: expect.stringMatching(/busy with another write; retry/),
    })
  })

  it('a constraint or syntax error stays a 500: only unavailability is retryable', () => {
    expect(toErrorResponse(Object.assign(new Error('syntax error'), { code: '42601' })).status).toBe(500)
    expect(toErrorResponse(Object.assign(new Error('constraint failed'), { code: 'ERR_SQLITE_ERROR', errcode: 19 })).status).toBe(500)
  })
})

describe.runIf(backends.includes('sqlite'))('a SQLite file locked by another process', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer('sqlite')
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('answers writes with 503 DATABASE_UNAVAILABLE past the busy timeout, reads go on, and writes work once the lock is gone', { timeout: 60_000 }, async () => {
    const http = client(server.url)
    expect((await http.post('/api/v1/models', { name: 'locked/before' })).status).toBe(201)
    // another process (a backup, the sqlite3 shell) holds the write lock
    const other = new DatabaseSync(join(server.dataDir, 'canon.db'))
    other.exec('BEGIN IMMEDIATE')
    try {
      const refused = await http.post('/api/v1/models', { name: 'locked/during' })
      expect(refused.status).toBe(503)
      expect(refused.body.error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', message: expect.stringMatching(/busy/) })
      expect((await http.get('/api/v1/models/locked%2Fbefore')).status).toBe(200)
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
    expect((await http.post('/api/v1/models', { name: 'locked/during' })).status).toBe(201)
    expect((await http.get('/api/v1/audit/verify')).body).toMatchObject({ ok: true })
  })
})
