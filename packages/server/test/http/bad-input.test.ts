import { isDeepStrictEqual } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../support/backends'
import type { BadRequest, RouteTable } from './bad-input/cases'
import { cardCases } from './bad-input/card-cases'
import { fixture, m, MODEL, NEVER_UPLOADED, registrySnapshot, seedRegistry, WEIGHTS } from './bad-input/fixtures'
import { genericCases } from './bad-input/generic-cases'
import { governanceCases } from './bad-input/governance-cases'
import { identityCases } from './bad-input/identity-cases'
import { lineageCases } from './bad-input/lineage-cases'
import { modelCases } from './bad-input/model-cases'
import { registryCases, unknownRoutes } from './bad-input/registry-cases'
import { versionCases } from './bad-input/version-cases'
import { webhookCases } from './bad-input/webhook-cases'
import { uploadCases } from './bad-input/upload-cases'
import { expectError, sha256, Wire } from './bad-input/wire'

// Every failure is {"error": {"code", "message", "details"?}} with the right 4xx status, never a 500 and never a stack trace,
// and a refused request leaves the registry exactly as it was.

const routeTable: RouteTable = { ...modelCases, ...versionCases, ...registryCases, ...identityCases, ...cardCases, ...governanceCases, ...lineageCases, ...webhookCases, ...uploadCases }
const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options']

interface OpenApiOperation {
  requestBody?: { content?: Record<string, unknown> }
  parameters?: { in: string; name: string }[]
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>
}

describe.each(backends)('bad input on %s', (backend) => {
  let server: TestServer | undefined
  let wire: Wire
  let pristine: unknown

  /** A fresh server holding only the fixture; also how a case that wrongly changed the registry is kept from spoiling the next. */
  async function startWithFixture(): Promise<void> {
    await server?.stop()
    server = await startTestServer(backend)
    if (wire) wire.retarget(server.url)
    else wire = new Wire(server.url)
    await seedRegistry(wire)
    pristine = await registrySnapshot(wire)
  }

  beforeAll(startWithFixture)
  afterAll(async () => {
    await server?.stop()
  })

  /** Sends a bad request, checks the error it gets, and checks that the registry did not change. */
  async function expectRejected(c: BadRequest): Promise<void> {
    const response = await wire.send(c)
    const after = await registrySnapshot(wire)
    const before = pristine
    if (!isDeepStrictEqual(after, before)) await startWithFixture()
    const request = `${c.method} ${c.path.slice(0, 160)}`
    expectError(response, c.status, c.code, request)
    for (const [name, value] of Object.entries(c.responseHeaders ?? {})) expect(response.headers[name], `${name} header of ${request}`).toBe(value)
    expect(after, `the registry changed after ${request} was refused`).toEqual(before)
  }

  it('has bad-input cases for every operation in the OpenAPI document', async () => {
    const document = await wire.ok<OpenApiDocument>('GET', '/api/v1/openapi.json')
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => HTTP_METHODS.includes(method))
        .map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })),
    )
    expect(operations.length).toBeGreaterThan(20)
    expect(operations.map((o) => o.key).filter((key) => !(key in routeTable)), 'operations without bad-input cases').toEqual([])
    expect(Object.keys(routeTable).filter((key) => !operations.some((o) => o.key === key)), 'cases for operations the server no longer has').toEqual([])

    for (const { key, operation } of operations) {
      const route = routeTable[key]!
      const parameters = operation.parameters ?? []
      const pathParams = parameters.filter((p) => p.in === 'path').map((p) => p.name)
      expect(Object.keys(route.params).sort(), `path parameters of ${key}`).toEqual(pathParams.sort())
      expect(route.body !== undefined, `${key} takes a JSON body`).toBe(operation.requestBody?.content?.['application/json'] !== undefined)
      expect(route.query === true, `${key} takes query parameters`).toBe(parameters.some((p) => p.in === 'query'))
      expect(route.cases.length + genericCases(key, route).length, `cases for ${key}`).toBeGreaterThan(0)
    }
  })

  for (const [operation, route] of Object.entries(routeTable)) {
    describe(operation, () => {
      for (const c of [...route.cases, ...genericCases(operation, route)]) it(c.behaviour, () => expectRejected(c))
    })
  }

  describe('paths no operation serves', () => {
    for (const c of unknownRoutes) it(c.behaviour, () => expectRejected(c))
  })

  describe('a refused request changes nothing a user can see', () => {
    it('a failed rename leaves the model under its old name and the other model untouched', async () => {
      await expectRejected({ behaviour: '', method: 'PATCH', path: MODEL, json: { name: fixture.other, description: 'hijack' }, status: 409, code: 'MODEL_EXISTS' })
      const model = await wire.ok<{ name: string; description: string; latestVersion: number }>('GET', MODEL)
      expect(model).toMatchObject({ name: fixture.model, description: 'churn model', latestVersion: 1 })
      const other = await wire.ok<{ name: string; description: string }>('GET', `/api/v1/models/${m(fixture.other)}`)
      expect(other).toMatchObject({ name: fixture.other, description: 'the other one' })
    })

    it('registering a name that is taken keeps the original model as it was', async () => {
      await expectRejected({ behaviour: '', method: 'POST', path: '/api/v1/models', json: { name: fixture.model, description: 'imposter', tags: { owner: 'mallory' } }, status: 409, code: 'MODEL_EXISTS' })
      const model = await wire.ok<{ description: string; tags: Record<string, string> }>('GET', MODEL)
      expect(model).toMatchObject({ description: 'churn model', tags: { [fixture.modelTag]: 'ml-team' } })
    })

    it('an upload whose bytes do not match its digest is not kept', async () => {
      const claimed = NEVER_UPLOADED
      const bytes = Buffer.from('these bytes are not what the digest says')
      const response = await wire.send({ method: 'PUT', path: `/api/v1/blobs/${claimed}`, raw: bytes, contentType: 'application/octet-stream' })
      expectError(response, 400, 'DIGEST_MISMATCH', `PUT /api/v1/blobs/${claimed}`)
      expect((await wire.send({ method: 'HEAD', path: `/api/v1/blobs/${claimed}` })).status).toBe(404)
      expect((await wire.send({ method: 'HEAD', path: `/api/v1/blobs/${sha256(bytes)}` })).status, 'nor under the digest of what was sent').toBe(404)
      expectError(await wire.send({ method: 'GET', path: `/api/v1/blobs/${claimed}` }), 404, 'BLOB_NOT_FOUND')
    })

    it('a model with a Production version is still there, versions and all, after a refused delete', async () => {
      const path = `/api/v1/models/${m(fixture.live)}`
      await expectRejected({ behaviour: '', method: 'DELETE', path, status: 409, code: 'MODEL_HAS_PRODUCTION_VERSION' })
      expect(await wire.ok('GET', path)).toMatchObject({ name: fixture.live, productionVersion: 1 })
      expect(await wire.ok('GET', `${path}/versions/1`)).toMatchObject({ version: 1, stage: 'Production', fileCount: 2 })
    })

    it('a Production version is still in Production after a refused delete', async () => {
      const path = `/api/v1/models/${m(fixture.live)}/versions/1`
      await expectRejected({ behaviour: '', method: 'DELETE', path, status: 409, code: 'VERSION_IN_PRODUCTION' })
      expect(await wire.ok('GET', path)).toMatchObject({ stage: 'Production' })
      expect(await wire.ok('GET', `/api/v1/resolve?uri=${encodeURIComponent(`models:/${fixture.live}/Production`)}`)).toMatchObject({ version: 1 })
    })

    it('a manifest naming a blob never uploaded creates no version and says which blob', async () => {
      const response = await wire.send({ method: 'POST', path: `${MODEL}/versions`, json: { files: [{ path: 'model.bin', size: 10, digest: NEVER_UPLOADED }] } })
      expectError(response, 400, 'MANIFEST_BLOB_UNKNOWN')
      expect((response.body as { error: { details?: unknown } }).error.details).toMatchObject({ digest: NEVER_UPLOADED })
      expect(await wire.ok('GET', MODEL)).toMatchObject({ latestVersion: 1 })
      expectError(await wire.send({ method: 'GET', path: `${MODEL}/versions/2` }), 404, 'VERSION_NOT_FOUND')
    })

    it('a manifest with an unsafe path creates no version and stores no file', async () => {
      await expectRejected({ behaviour: '', method: 'POST', path: `${MODEL}/versions`, json: { files: [{ path: '../outside.bin', size: WEIGHTS.length, digest: fixture.weightsDigest }] }, status: 400, code: 'INVALID_PATH' })
      expect(await wire.ok('GET', MODEL)).toMatchObject({ latestVersion: 1 })
    })

    it('a reserved alias is not created and existing aliases keep their versions', async () => {
      await expectRejected({ behaviour: '', method: 'PUT', path: `${MODEL}/aliases/latest`, json: { version: 1 }, status: 400, code: 'INVALID_ALIAS' })
      expect(await wire.ok('GET', `${MODEL}/aliases`)).toEqual({ aliases: { [fixture.alias]: 1 } })
      expectError(await wire.send({ method: 'GET', path: `${MODEL}/aliases/latest` }), 404, 'ALIAS_NOT_FOUND')
    })

    it('a refused tag value leaves the old value in place', async () => {
      await expectRejected({ behaviour: '', method: 'PUT', path: `${MODEL}/tags/${fixture.modelTag}`, json: { value: 'x'.repeat(5001) }, status: 400, code: 'INVALID_INPUT' })
      expect(await wire.ok('GET', MODEL)).toMatchObject({ tags: { [fixture.modelTag]: 'ml-team' } })
    })

    it('a cursor issued for one ordering is refused by another', async () => {
      const page = await wire.ok<{ nextCursor: string | null }>('GET', '/api/v1/models?limit=1&sort=created')
      expect(page.nextCursor).toEqual(expect.any(String))
      await expectRejected({ behaviour: '', method: 'GET', path: `/api/v1/models?sort=name&cursor=${page.nextCursor}`, status: 400, code: 'INVALID_CURSOR' })
    })
  })

  it('never answered any request in this file with a 5xx', () => {
    expect(wire.serverErrors().map((e) => `${e.request} → ${e.status} ${e.text.slice(0, 120)}`)).toEqual([])
  })
})
