import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../support/backends'

// An upload refused before the server reads its body must still reach the client as a whole answer: the connection is
// closed after it, instead of both sides waiting on each other for ever (the client sending, the server not reading).

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

describe.each(backends)('an upload refused before its body is read, on %s', (backend) => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer(backend, { CANON_MAX_BLOB_BYTES: '1024' })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('answers 413 PAYLOAD_TOO_LARGE every time, with Connection: close, and nothing is kept', { timeout: 60_000 }, async () => {
    const big = randomBytes(4 * 1024 * 1024)
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${server.url}/api/v1/blobs/${sha256(big)}`, { method: 'PUT', body: big, headers: { 'content-type': 'application/octet-stream' } })
      expect(response.status).toBe(413)
      expect(response.headers.get('connection')).toBe('close')
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE')
    }
    expect((await fetch(`${server.url}/api/v1/blobs/${sha256(big)}`)).status).toBe(404)
    // and a small upload on a new connection still works
    const small = randomBytes(512)
    expect((await fetch(`${server.url}/api/v1/blobs/${sha256(small)}`, { method: 'PUT', body: small, headers: { 'content-type': 'application/octet-stream' } })).status).toBe(201)
  })

  it('answers 400 INVALID_DIGEST to a large upload under a malformed digest, with Connection: close', { timeout: 60_000 }, async () => {
    const big = randomBytes(4 * 1024 * 1024)
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${server.url}/api/v1/blobs/sha256:not-a-digest`, { method: 'PUT', body: big, headers: { 'content-type': 'application/octet-stream' } })
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('INVALID_DIGEST')
    }
  })
})
