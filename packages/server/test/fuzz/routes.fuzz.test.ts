import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isErrorCode } from '@canon/api'
import { isMlflowPath } from '../../src/mlflow/mlflow-face'
import { backends, startTestServer, type TestServer } from '../support/backends'
import { fixture, seedRegistry, VERSION } from '../http/bad-input/fixtures'
import { Wire, type WireRequest, type WireResponse } from '../http/bad-input/wire'
import { filterString, jsonBody, orderBy, pathSegment, queryString, queryValue, toWellFormed } from './arbitraries'

// Property-based tests: random bodies, query strings, filters and paths thrown at every route of both faces.
// None may answer 500 (or any 5xx but 501 NOT_IMPLEMENTED), and every error has its face's well-formed body.
// A fixed seed keeps CI deterministic; CANON_FUZZ_SEED=<n> replays a failure, CANON_FUZZ_RUNS widens the search.

const SEED = Number(process.env.CANON_FUZZ_SEED ?? 20261122)
const RUNS = Number(process.env.CANON_FUZZ_RUNS ?? 250)
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

interface Route {
  method: string
  url: string
}

const isMlflow = (url: string) => isMlflowPath(url) || url === '/health' || url === '/version'

/** The route template with every `:param` and `*` replaced by a generated segment. */
function concretePath(url: string): fc.Arbitrary<string> {
  const holes = url.match(/:[A-Za-z_]+|\*/g) ?? []
  return fc.tuple(...holes.map((hole) => (hole === '*' ? fc.array(pathSegment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')) : pathSegment))).map((fills) => {
    let i = 0
    return url.replace(/:[A-Za-z_]+|\*/g, () => fills[i++] ?? '')
  })
}

function requestFor(routes: Route[]): fc.Arbitrary<WireRequest> {
  return fc.constantFrom(...routes).chain((route) =>
    fc.record({
      path: fc.tuple(concretePath(route.url), queryString).map(([path, query]) => path + query),
      body: WRITE_METHODS.has(route.method)
        ? fc.oneof(
            { weight: 6, arbitrary: jsonBody.map((json) => ({ json })) },
            { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,]', 'nul', '\u0000', '{"name": "x"}garbage').map((raw) => ({ raw, contentType: 'application/json' })) },
            { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((raw) => ({ raw, contentType: 'application/octet-stream' })) },
            { weight: 1, arbitrary: fc.constant({}) },
          )
        : fc.constant({}),
    }).map(({ path, body }) => ({ method: route.method, path, ...body })),
  )
}

/** No 5xx but NOT_IMPLEMENTED, and an error body the face's clients can read. */
function expectWellFormed(request: WireRequest, response: WireResponse): void {
  const seen = `${request.method} ${request.path.slice(0, 300)} ${request.json !== undefined ? JSON.stringify(request.json).slice(0, 300) : ''} → ${response.status} ${response.text.slice(0, 300)}`
  const notImplemented = response.status === 501
  expect(response.status < 500 || notImplemented, seen).toBe(true)
  if (response.status < 400 || request.method === 'HEAD') return
  const path = request.path.split('?')[0] ?? ''
  const body = response.body as Record<string, any> | undefined
  if (isMlflowPath(path)) {
    expect(typeof body?.error_code === 'string' && typeof body?.message === 'string', `MLflow error body: ${seen}`).toBe(true)
  } else {
    expect(isErrorCode(body?.error?.code) && typeof body?.error?.message === 'string' && body.error.message.length > 0, `native error body: ${seen}`).toBe(true)
  }
  expect(response.text, `stack trace leaked: ${seen}`).not.toMatch(/ {4}at |\.ts:\d/)
}

describe.each(backends)('fuzzing the HTTP faces on %s', (backend) => {
  let server: TestServer
  let wire: Wire
  let native: Route[]
  let mlflow: Route[]

  beforeAll(async () => {
    server = await startTestServer(backend)
    wire = new Wire(server.url)
    await seedRegistry(wire)
    const routes = server.app.routeRules.filter((r) => r.method !== 'OPTIONS')
    native = routes.filter((r) => !isMlflow(r.url))
    mlflow = routes.filter((r) => isMlflow(r.url))
    expect(native.length).toBeGreaterThan(20)
    expect(mlflow.length).toBeGreaterThan(40)
  })
  afterAll(async () => {
    await server?.stop()
  })

  const check = (requests: fc.Arbitrary<WireRequest>) =>
    fc.assert(
      fc.asyncProperty(requests, async (request) => expectWellFormed(request, await wire.send(request))),
      { seed: SEED, numRuns: RUNS },
    )

  it('no native route answers 5xx to random paths, query strings and bodies', { timeout: 300_000 }, async () => {
    await check(requestFor(native))
  })

  it('no MLflow route answers 5xx to random paths, query strings and bodies', { timeout: 300_000 }, async () => {
    await check(requestFor(mlflow))
  })

  it('MLflow searches answer random filters, orderings and page tokens with 200 or a 4xx', { timeout: 300_000 }, async () => {
    const searches = mlflow.filter((r) => /search|get-latest-versions/.test(r.url))
    expect(searches.length).toBeGreaterThan(4)
    const search = fc.constantFrom(...searches).chain((route) =>
      fc
        .record({
          filter: filterString,
          order_by: fc.oneof(orderBy, fc.array(orderBy, { maxLength: 3 })),
          max_results: fc.oneof(fc.constantFrom(undefined, 0, 1, 3, 1000, 50001, -1, '5', 'x', 2.5)),
          page_token: fc.oneof(fc.constant(undefined), fc.string(), fc.constantFrom('eyJvZmZzZXQiOiAxfQ==', 'eyJvZmZzZXQiOiAtMX0=', '!!!', 'bnVsbA==')),
          experiment_ids: fc.oneof(fc.constant(undefined), fc.array(fc.constantFrom('0', '1', 'x', '-1', '99999999999999999999'), { maxLength: 3 })),
        })
        .map((fields): WireRequest => {
          const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))
          if (route.method === 'POST') return { method: 'POST', path: route.url, json: { ...defined, filter_string: fields.filter } }
          const query = Object.entries(defined).flatMap(([k, v]) => [v].flat().map((item) => `${k}=${encodeURIComponent(toWellFormed(String(item)))}`))
          return { method: route.method, path: `${route.url}?${query.join('&')}` }
        }),
    )
    await check(search)
  })

  it('native list filters (tags, times, cursors, orders) answer random values with 200 or a 4xx', { timeout: 300_000 }, async () => {
    // every query parameter the OpenAPI document declares, per GET operation
    const document = (await wire.send({ method: 'GET', path: '/api/v1/openapi.json' })).body as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> }
    const lists = Object.entries(document.paths).flatMap(([path, item]) => {
      const names = (item.get?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)
      return names.length > 0 ? [{ path, names }] : []
    })
    expect(lists.length).toBeGreaterThan(3)
    const value = fc.oneof(
      queryValue,
      fc.constantFrom('owner', 'owner=ml-team', 'owner=', '=x', 'a=b=c', '2026-01-01T00:00:00Z', '2026-13-45T99:00:00Z', '0', '-1', 'asc', 'desc', 'Production', 'approved', 'eyJ4IjoxfQ', '%2F', 'bad-input%2Fchurn').map((v) => encodeURIComponent(v)),
    )
    const listRequest = fc.constantFrom(...lists).chain(({ path, names }) =>
      fc
        .tuple(concretePath(path.replace(/\{(\w+)\}/g, ':$1')), fc.array(fc.tuple(fc.constantFrom(...names), value), { minLength: 1, maxLength: 6 }))
        .map(([concrete, pairs]): WireRequest => ({ method: 'GET', path: `${concrete}?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` })),
    )
    await check(listRequest)
  })

  it('odd headers (ranges, content types, encodings, tokens, request ids) never make a route answer 5xx', { timeout: 300_000 }, async () => {
    const headerValue = (choices: string[]) => fc.oneof(fc.constantFrom(...choices), fc.stringMatching(/^[\x20-\x7e]{0,40}$/))
    const headers = fc.record(
      {
        range: headerValue(['bytes=0-0', 'bytes=5-1', 'bytes=-5', 'bytes=0-', 'bytes=abc', 'bytes=0-1,2-3', 'bytes=99999999-', 'bytes=-0', 'items=0-1', 'bytes=18446744073709551616-']),
        'content-type': headerValue(['application/json; charset=latin1', 'application/json; charset=utf-16', 'application/octet-stream', 'multipart/form-data; boundary=x', 'text/plain', 'application/x-www-form-urlencoded', 'application/json;;', '']),
        'content-encoding': headerValue(['gzip', 'br', 'deflate', 'identity', 'x-unknown']),
        accept: headerValue(['application/json', 'text/markdown', '*/*', 'image/png']),
        'if-none-match': headerValue(['"sha256:abc"', '*', 'W/"x"']),
        authorization: headerValue(['Bearer ', 'Bearer canon_xxx', 'Basic Zm9vOmJhcg==', 'Bearer %00']),
        'x-request-id': headerValue(['', 'a'.repeat(300)]),
      },
      { requiredKeys: [] },
    )
    const withHeaders = fc.tuple(requestFor([...native, ...mlflow]), headers).map(([request, extra]): WireRequest => ({ ...request, headers: { ...request.headers, ...extra } }))
    await check(withHeaders)
  })

  it('downloads answer random Range headers without a 5xx', { timeout: 300_000 }, async () => {
    const downloads = [`/api/v1/blobs/${fixture.weightsDigest}`, `${VERSION}/files/${fixture.weightsPath}`, `${VERSION}/files/${fixture.configPath}`]
    const bound = fc.oneof(fc.nat({ max: 40 }), fc.constantFrom(2 ** 31, 2 ** 53, 2 ** 64))
    const range = fc.oneof(
      fc.tuple(bound, bound).map(([a, b]) => `bytes=${a}-${b}`),
      bound.map((a) => `bytes=${a}-`),
      bound.map((a) => `bytes=-${a}`),
      fc.array(fc.tuple(bound, bound), { minLength: 2, maxLength: 3 }).map((parts) => `bytes=${parts.map(([a, b]) => `${a}-${b}`).join(',')}`),
      fc.stringMatching(/^[\x20-\x7e]{0,30}$/),
    )
    const download = fc.tuple(fc.constantFrom(...downloads), range, fc.constantFrom('GET', 'HEAD')).map(([path, r, method]): WireRequest => ({ method, path, headers: { range: r } }))
    await check(download)
  })

  it('a path that is not valid percent-encoding gets 400 in the face\'s own error shape', async () => {
    const native = await wire.send({ method: 'GET', path: '/api/v1/models/%E0%A4/versions/1' })
    expect({ status: native.status, body: native.body }).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PATH' } } })
    const mlflowAnswer = await wire.send({ method: 'GET', path: '/api/2.0/mlflow-artifacts/artifacts/%zz' })
    expect({ status: mlflowAnswer.status, body: mlflowAnswer.body }).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } })
  })

  it('unknown and malformed paths get a well-formed 4xx', { timeout: 300_000 }, async () => {
    const prefixes = ['/api/v1/', '/api/v1/models/', '/api/2.0/mlflow/', '/ajax-api/2.0/mlflow/', '/api/2.0/mlflow-artifacts/artifacts/', '/', '/api/v1/blobs/']
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE')
    const garbage = fc
      .tuple(method, fc.constantFrom(...prefixes), fc.array(pathSegment, { minLength: 1, maxLength: 5 }), fc.oneof(queryString, queryValue.map((v) => `?${v}`)))
      .map(([m, prefix, segments, query]): WireRequest => ({ method: m, path: prefix + segments.join('/') + query }))
    await check(garbage)
    // and the server still serves
    expect((await wire.send({ method: 'GET', path: '/readyz' })).status).toBe(200)
  })
})
