import { fixture, m, MODEL, NEVER_UPLOADED, WEIGHTS } from './fixtures'
import { text, type BadRequest, type RouteTable } from './cases'
import { sha256 } from './wire'

const ALIASES = `${MODEL}/aliases`
const putAlias = (behaviour: string, alias: string, json: unknown = { version: 1 }, code: BadRequest['code'] = 'INVALID_ALIAS', status = 400): BadRequest => ({
  behaviour,
  method: 'PUT',
  path: `${ALIASES}/${alias}`,
  json,
  status,
  code,
})
const getBlob = (behaviour: string, digest: string, code: BadRequest['code'] = 'INVALID_DIGEST', status = 400): BadRequest => ({ behaviour, method: 'GET', path: `/api/v1/blobs/${digest}`, status, code })
const putBlob = (behaviour: string, digest: string, code: BadRequest['code'] = 'INVALID_DIGEST', raw: Uint8Array | string = WEIGHTS): BadRequest => ({
  behaviour,
  method: 'PUT',
  path: `/api/v1/blobs/${digest}`,
  raw,
  contentType: 'application/octet-stream',
  status: 400,
  code,
})
const resolve = (behaviour: string, uri: string, code: BadRequest['code'] = 'INVALID_URI', status = 400): BadRequest => ({
  behaviour,
  method: 'GET',
  path: `/api/v1/resolve?uri=${encodeURIComponent(uri)}`,
  status,
  code,
})
const gc = (behaviour: string, json: unknown): BadRequest => ({ behaviour, method: 'POST', path: '/api/v1/admin/gc', json, status: 400, code: 'INVALID_INPUT' })
const audit = (behaviour: string, query: string): BadRequest => ({ behaviour, method: 'GET', path: `/api/v1/audit?${query}`, status: 400, code: 'INVALID_INPUT' })
const below = (path: string): BadRequest => ({ behaviour: 'answers ROUTE_NOT_FOUND for a path below it', method: 'GET', path: `${path}/more`, status: 404, code: 'ROUTE_NOT_FOUND' })

const hex = fixture.weightsDigest.slice('sha256:'.length)
const malformedDigests: [string, string][] = [
  ['rejects a digest that is not hex', 'sha256:not-hex'],
  ['rejects a digest of the wrong algorithm', `md5:${'a'.repeat(32)}`],
  ['rejects a digest in upper case', `sha256:${hex.toUpperCase()}`],
  ['rejects a digest without its algorithm', hex],
  ['rejects a digest one character short', `sha256:${hex.slice(1)}`],
  ['rejects a digest far too long', `sha256:${'a'.repeat(300)}`],
  ['rejects a digest that is a path climbing with ../', m('../../etc/passwd')],
  ['rejects a digest containing NUL', `sha256:${hex.slice(1)}%00`],
]

/** Aliases, blobs, URI resolution, administration, audit and health. */
export const registryCases: RouteTable = {
  'GET /api/v1/models/{model}/aliases': { params: { model: fixture.model }, cases: [] },

  'PUT /api/v1/models/{model}/aliases/{alias}': {
    params: { model: fixture.model, alias: 'fresh-alias' },
    body: { version: 1 },
    cases: [
      putAlias("rejects the reserved alias 'latest'", 'latest'),
      putAlias("rejects 'latest' in any case", 'LATEST'),
      putAlias("rejects an alias shaped like a version ('v2')", 'v2'),
      putAlias("rejects 'V10' in any case", 'V10'),
      putAlias('rejects an alias with a space', 'has%20space'),
      putAlias('rejects an alias with a dot', 'release.candidate'),
      putAlias("rejects the alias '..'", '%2E%2E'),
      putAlias('rejects an alias with a slash', 'a%2Fb'),
      putAlias('rejects an alias containing NUL', 'champ%00'),
      putAlias('rejects an alias longer than 255 characters', text(256, 'a')),
      putAlias('rejects a body without a version', 'fresh-alias', {}, 'INVALID_INPUT'),
      putAlias('rejects version 0', 'fresh-alias', { version: 0 }, 'INVALID_INPUT'),
      putAlias('rejects a version that is not a number', 'fresh-alias', { version: 'two' }, 'INVALID_INPUT'),
      putAlias('rejects a fractional version', 'fresh-alias', { version: 1.5 }, 'INVALID_INPUT'),
      putAlias('rejects a version past 2^31-1', 'fresh-alias', { version: 1e20 }, 'INVALID_INPUT'),
      putAlias('answers VERSION_NOT_FOUND for a version that does not exist', 'fresh-alias', { version: fixture.missingVersion }, 'VERSION_NOT_FOUND', 404),
    ],
  },

  'GET /api/v1/models/{model}/aliases/{alias}': {
    params: { model: fixture.model, alias: fixture.alias },
    cases: [
      { behaviour: 'answers ALIAS_NOT_FOUND for an alias the model does not have', method: 'GET', path: `${ALIASES}/${fixture.missingAlias}`, status: 404, code: 'ALIAS_NOT_FOUND' },
      { behaviour: 'refuses an alias containing NUL', method: 'GET', path: `${ALIASES}/champion%00`, status: 400, code: 'INVALID_ALIAS' },
    ],
  },

  'DELETE /api/v1/models/{model}/aliases/{alias}': {
    params: { model: fixture.model, alias: fixture.alias },
    cases: [{ behaviour: 'answers ALIAS_NOT_FOUND for an alias the model does not have', method: 'DELETE', path: `${ALIASES}/${fixture.missingAlias}`, status: 404, code: 'ALIAS_NOT_FOUND' }],
  },

  'GET /api/v1/blobs/{digest}': {
    params: { digest: fixture.weightsDigest },
    cases: [
      getBlob('answers BLOB_NOT_FOUND for a blob never uploaded', NEVER_UPLOADED, 'BLOB_NOT_FOUND', 404),
      ...malformedDigests.map(([behaviour, digest]) => getBlob(behaviour, digest)),
      ...['bytes=31-', 'bytes=4096-8191', 'bytes=-0'].map((range) => ({
        ...getBlob(`answers 416 with the size for the range ${range}`, fixture.weightsDigest, 'RANGE_NOT_SATISFIABLE', 416),
        headers: { range },
        responseHeaders: { 'content-range': `bytes */${WEIGHTS.length}` },
      })),
    ],
  },

  'PUT /api/v1/blobs/{digest}': {
    params: { digest: fixture.weightsDigest },
    cases: [
      putBlob('answers DIGEST_MISMATCH when the bytes hash to another digest', NEVER_UPLOADED, 'DIGEST_MISMATCH'),
      putBlob('answers DIGEST_MISMATCH for an empty upload', sha256('not empty'), 'DIGEST_MISMATCH', ''),
      ...malformedDigests.map(([behaviour, digest]) => putBlob(behaviour, digest)),
    ],
  },

  'GET /api/v1/resolve': {
    params: {},
    query: true,
    cases: [
      { behaviour: 'rejects a request without a uri', method: 'GET', path: '/api/v1/resolve', status: 400, code: 'INVALID_INPUT' },
      resolve('rejects an empty uri', ''),
      resolve('rejects a uri without a scheme', `${fixture.model}/1`),
      resolve('rejects a uri of another scheme', `s3://bucket/${fixture.model}/1`),
      resolve('rejects a scheme with nothing after it', 'models:/'),
      resolve('rejects a uri without a version, stage or alias', 'models:/churn'),
      resolve('rejects a uri with a trailing slash', `models:/${fixture.model}/`),
      resolve('rejects version 0', `models:/${fixture.model}/0`),
      resolve('rejects a version past the largest safe integer', `models:/${fixture.model}/99999999999999999999`),
      resolve('rejects a stage that does not exist', `models:/${fixture.model}/Deployed`),
      resolve("rejects a model:// version without its 'v'", `model://${fixture.model}/3`),
      resolve('rejects an empty alias', `models:/${fixture.model}@`),
      resolve('rejects an alias without a model', 'models:/@champion'),
      resolve('rejects a uri longer than 2048 characters', `models:/${text(2100)}/1`),
      resolve('answers MODEL_NOT_FOUND for a model that does not exist', `models:/${fixture.missingModel}/1`, 'MODEL_NOT_FOUND', 404),
      resolve('refuses a URI containing NUL in the model name', `models:/${fixture.model}\u0000/1`, 'INVALID_URI', 400),
      resolve('refuses a URI containing NUL in the alias', `models:/${fixture.model}@champion\u0000`, 'INVALID_URI', 400),
      resolve('answers VERSION_NOT_FOUND for a version that does not exist', `models:/${fixture.model}/${fixture.missingVersion}`, 'VERSION_NOT_FOUND', 404),
      resolve('answers VERSION_NOT_FOUND for a model:// version that does not exist', `model://${fixture.model}/v${fixture.missingVersion}`, 'VERSION_NOT_FOUND', 404),
      resolve('answers VERSION_NOT_FOUND for a stage no version is in', `models:/${fixture.model}/Staging`, 'VERSION_NOT_FOUND', 404),
      resolve('answers ALIAS_NOT_FOUND for an alias the model does not have', `models:/${fixture.model}@${fixture.missingAlias}`, 'ALIAS_NOT_FOUND', 404),
    ],
  },

  'POST /api/v1/admin/gc': {
    params: {},
    body: {},
    cases: [
      gc('rejects apply that is not a boolean', { apply: 'please' }),
      gc('rejects a negative grace period', { graceSeconds: -1 }),
      gc('rejects a grace period that is not a number', { graceSeconds: 'an hour' }),
      gc('rejects a fractional grace period', { graceSeconds: 1.5 }),
    ],
  },

  'GET /api/v1/audit': {
    params: {},
    query: true,
    cases: [
      audit('rejects a negative after', 'after=-1'),
      audit('rejects an after that is not a number', 'after=first'),
      audit('rejects a page size of 0', 'limit=0'),
      audit('rejects a page size over 1000', 'limit=1001'),
      audit('rejects an after past the largest sequence number', 'after=99999999999999999999'),
      audit('rejects a target longer than 1024 characters', `target=${text(1025)}`),
      audit('rejects a target containing NUL', 'target=model%3Achurn%00'),
    ],
  },

  'GET /api/v1/audit/verify': { params: {}, cases: [below('/api/v1/audit/verify')] },
  'GET /healthz': { params: {}, cases: [below('/healthz')] },
  'GET /readyz': { params: {}, cases: [below('/readyz')] },
}

/** Paths no operation serves. */
export const unknownRoutes: BadRequest[] = [
  { method: 'POST', path: '/', json: {} },
  { method: 'GET', path: '/assets/no-such-file.js' },
  { method: 'GET', path: '/assets/../package.json' },
  { method: 'GET', path: '/api/v1' },
  { method: 'GET', path: '/api/v1/nothing-here' },
  { method: 'GET', path: '/api/v2/models' },
  { method: 'GET', path: '/api/v1/blobs' },
  { method: 'GET', path: `${MODEL}/versions/1/tags` },
  { method: 'POST', path: `${MODEL}/versions/1/promote`, json: { stage: 'Production' } },
  { method: 'GET', path: '/api/v1/../../etc/passwd' },
].map((r): BadRequest => ({ ...r, behaviour: `answers ROUTE_NOT_FOUND for ${r.method} ${r.path}`, status: 404, code: 'ROUTE_NOT_FOUND' }))
