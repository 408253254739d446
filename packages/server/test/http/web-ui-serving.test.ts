import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../support/backends'
import { Wire } from './bad-input/wire'
import { defaultUiDir } from '../../src/http/routes/ui.routes'

// The web UI is static files: `/` and every non-API GET get its page (the browser routes), assets are served with
// long caching, and the APIs keep their JSON 404s. Serving files does not touch the database, so SQLite is enough.

const TEST_UI_DIR = fileURLToPath(new URL('../fixtures/ui/', import.meta.url))

describe('serving the web UI', () => {
  let server: TestServer
  let wire: Wire

  beforeAll(async () => {
    server = await startTestServer('sqlite', { CANON_UI_DIR: TEST_UI_DIR })
    wire = new Wire(server.url)
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('serves the page at / with a content security policy and no caching', async () => {
    const page = await wire.send({ method: 'GET', path: '/' })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.headers['cache-control']).toBe('no-cache')
    expect(page.headers['content-security-policy']).toContain("default-src 'self'")
    expect(page.text).toContain('Canon test UI')
    expect(page.text, 'tells the page that auth is off').toContain('<meta name="canon-auth" content="off">')
  })

  it('answers every page URL of the UI with the same page, so links can be shared', async () => {
    for (const path of ['/models', '/models/team%2Fchurn/versions/3?tab=files', '/audit?actor=ana', '/no/such/page']) {
      const page = await wire.send({ method: 'GET', path })
      expect(page.status, path).toBe(200)
      expect(page.text, path).toContain('Canon test UI')
    }
  })

  it('serves built assets with long caching, and a missing asset is a 404', async () => {
    const asset = await wire.send({ method: 'GET', path: '/assets/app-test.js' })
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toMatch(/javascript/)
    expect(asset.headers['cache-control']).toContain('immutable')
    const missing = await wire.send({ method: 'GET', path: '/assets/no-such-file.js' })
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } })
  })

  it('never serves a file outside the UI directory', async () => {
    for (const path of ['/assets/../index.html', '/assets/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/assets/..%5c..%5cpackage.json']) {
      const reply = await wire.send({ method: 'GET', path })
      expect(reply.status, path).toBe(404)
      expect(reply.body, path).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } })
    }
  })

  it('keeps JSON 404s for unknown API paths and for other methods', async () => {
    for (const request of [
      { method: 'GET', path: '/api/v1/nothing-here' },
      { method: 'GET', path: '/api/v2/models' },
      { method: 'POST', path: '/models', json: {} },
      { method: 'GET', path: '/healthz/more' },
      { method: 'GET', path: '/version/more' },
    ]) {
      const reply = await wire.send(request)
      expect(reply.status, request.path).toBe(404)
      expect(reply.body, request.path).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } })
    }
    for (const path of ['/api/2.0/mlflow/nothing', '/ajax-api/2.0/mlflow/nothing']) {
      const reply = await wire.send({ method: 'GET', path })
      expect(reply.status, path).toBe(404)
      expect(reply.body, path).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' })
    }
  })
})

it('serves the build of packages/ui by default, where npm install puts it', () => {
  expect(defaultUiDir).toBe(fileURLToPath(new URL('../../../ui/dist/', import.meta.url)))
})

describe('without a built UI', () => {
  let server: TestServer
  let empty: string

  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), 'canon-no-ui-'))
    server = await startTestServer('sqlite', { CANON_UI_DIR: empty })
  })
  afterAll(async () => {
    await server?.stop()
    await rm(empty, { recursive: true, force: true })
  })

  it('says how to build it instead of failing', async () => {
    const page = await new Wire(server.url).send({ method: 'GET', path: '/' })
    expect(page.status).toBe(200)
    expect(page.text).toContain('npm run build -w packages/ui')
  })
})
