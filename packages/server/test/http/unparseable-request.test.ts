import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../support/backends'

/** Sends raw bytes and returns everything the server answers before closing. */
function rawExchange(url: string, request: Buffer): Promise<string> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request))
    let answer = ''
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk))
    socket.on('error', reject).on('close', () => resolve(answer))
  })
}

// Node's HTTP parser refuses some requests before Fastify sees them; they still get Canon's one error shape.
describe('a request the HTTP parser cannot read', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer('sqlite')
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('a raw non-ASCII character in the URL is a 400 with a code and a hint', async () => {
    const answer = await rawExchange(server.url, Buffer.concat([Buffer.from('GET /api/v1/models?q='), Buffer.from('é', 'utf8'), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]))
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))
    expect(body.error.code).toBe('INVALID_INPUT')
    expect(body.error.message).toContain('percent-encode')
  })

  it('the server goes on serving', async () => {
    expect((await fetch(`${server.url}/api/v1/models?q=${encodeURIComponent('é')}`)).status).toBe(200)
  })
})
