import { FilterLimits, Limits } from '@canon/api'
import { fixture, m, MODEL, NEVER_UPLOADED, validManifest, VERSION, WEIGHTS } from './fixtures'
import { cursor, text, type BadRequest, type RouteTable } from './cases'

const weights = { path: fixture.weightsPath, size: WEIGHTS.length, digest: fixture.weightsDigest }
const create = (behaviour: string, json: unknown, code: BadRequest['code'] = 'INVALID_INPUT'): BadRequest => ({ behaviour, method: 'POST', path: `${MODEL}/versions`, json, status: 400, code })
const withFile = (behaviour: string, file: Record<string, unknown>, code: BadRequest['code']) => create(behaviour, { files: [{ ...weights, ...file }] }, code)
const badPath = (behaviour: string, path: string) => withFile(behaviour, { path }, 'INVALID_PATH')
const badDigest = (behaviour: string, digest: string) => withFile(behaviour, { digest }, 'INVALID_DIGEST')
const list = (route: string, behaviour: string, query: string, code: BadRequest['code'] = 'INVALID_INPUT'): BadRequest => ({ behaviour, method: 'GET', path: `${route}?${query}`, status: 400, code })
const patchVersion = (behaviour: string, json: unknown): BadRequest => ({ behaviour, method: 'PATCH', path: VERSION, json, status: 400, code: 'INVALID_INPUT' })
const putVersionTag = (behaviour: string, json: unknown): BadRequest => ({ behaviour, method: 'PUT', path: `${VERSION}/tags/${fixture.versionTag}`, json, status: 400, code: 'INVALID_INPUT' })
const stage = (behaviour: string, json: unknown): BadRequest => ({ behaviour, method: 'POST', path: `${VERSION}/stage`, json, status: 400, code: 'INVALID_INPUT' })
const approval = (behaviour: string, json: unknown): BadRequest => ({ behaviour, method: 'POST', path: `${VERSION}/approval`, json, status: 400, code: 'INVALID_INPUT' })
const getFile = (behaviour: string, rawPath: string, status: number, code: BadRequest['code'], headers?: Record<string, string>): BadRequest => ({
  behaviour,
  method: 'GET',
  path: `${VERSION}/files/${rawPath}`,
  headers,
  status,
  code,
})

const MODEL_VERSIONS = `${MODEL}/versions`

/** Versions, their manifests, tags, stages and files. */
export const versionCases: RouteTable = {
  'POST /api/v1/models/{model}/versions': {
    params: { model: fixture.model },
    body: validManifest(),
    cases: [
      create('rejects a version without a files list', {}),
      create('rejects files that are not a list', { files: { path: 'a' } }),
      create('rejects a file entry without a digest', { files: [{ path: weights.path, size: weights.size }] }),
      create('rejects a file entry without a size', { files: [{ path: weights.path, digest: weights.digest }] }),
      create('rejects a file entry without a path', { files: [{ size: weights.size, digest: weights.digest }] }),
      withFile('rejects a negative file size', { size: -1 }, 'INVALID_INPUT'),
      withFile('rejects a file size that is not a number', { size: 'big' }, 'INVALID_INPUT'),
      withFile('rejects a fractional file size', { size: 1.5 }, 'INVALID_INPUT'),
      withFile('rejects a size that differs from the stored blob', { size: WEIGHTS.length + 1 }, 'INVALID_INPUT'),
      badPath('rejects a file path that climbs with ../', '../escape.bin'),
      badPath('rejects a file path that climbs out from inside', 'weights/../../escape.bin'),
      badPath('rejects an absolute file path', '/etc/passwd'),
      badPath('rejects a Windows drive path', 'C:/weights.bin'),
      badPath('rejects a file path with a backslash', 'weights\\model.bin'),
      badPath('rejects a file path containing NUL', 'weights/model\u0000.bin'),
      badPath('rejects a file path with a control character', 'weights/model\u0007.bin'),
      badPath('rejects a file path with an empty segment', 'weights//model.bin'),
      badPath("rejects a file path with a '.' segment", './model.bin'),
      badPath('rejects an empty file path', ''),
      badPath(`rejects a file path longer than ${Limits.filePath} characters`, text(Limits.filePath + 1, 'p')),
      create('rejects a manifest naming the same path twice', { files: [weights, weights] }, 'INVALID_PATH'),
      badDigest('rejects a digest that is not hex', 'sha256:not-hex'),
      badDigest('rejects a digest of the wrong algorithm', `md5:${'a'.repeat(32)}`),
      badDigest('rejects a digest in upper case', fixture.weightsDigest.toUpperCase().replace('SHA256', 'sha256')),
      badDigest('rejects a digest without its algorithm', fixture.weightsDigest.slice('sha256:'.length)),
      withFile('answers MANIFEST_BLOB_UNKNOWN for a blob never uploaded', { digest: NEVER_UPLOADED }, 'MANIFEST_BLOB_UNKNOWN'),
      create(`rejects a description longer than ${Limits.description} characters`, { ...validManifest(), description: text(Limits.description + 1) }),
      create(`rejects a tag value longer than ${Limits.tagValue} characters`, { ...validManifest(), tags: { note: text(Limits.tagValue + 1) } }),
      create('rejects an empty source', { ...validManifest(), source: '' }),
      create(`rejects a source longer than ${Limits.source} characters`, { ...validManifest(), source: text(Limits.source + 1) }),
      create(`rejects a run id longer than ${Limits.runId} characters`, { ...validManifest(), runId: text(Limits.runId + 1) }),
      create('rejects a metric that is not a number', { ...validManifest(), metrics: { accuracy: 'high' } }),
      {
        behaviour: 'rejects a metric too large to be a finite number',
        method: 'POST',
        path: `${MODEL}/versions`,
        raw: JSON.stringify(validManifest()).replace(/}$/, ',"metrics":{"loss":1e400}}'),
        contentType: 'application/json',
        status: 400,
        code: 'INVALID_INPUT',
      },
      create('rejects a description containing NUL', { ...validManifest(), description: 'first\u0000' }),
      create('rejects a param value containing NUL', { ...validManifest(), params: { lr: '0.1\u0000' } }),
      create('rejects a stage, which a new version cannot choose', { ...validManifest(), stage: 'Production' }),
    ],
  },

  'GET /api/v1/models/{model}/versions': {
    params: { model: fixture.model },
    query: true,
    cases: [
      list(MODEL_VERSIONS, 'rejects a page size of 0', 'limit=0'),
      list(MODEL_VERSIONS, 'answers INVALID_FILTER for a filter with a syntax error', `filter=${encodeURIComponent('metrics.auc >')}`, 'INVALID_FILTER'),
      list(MODEL_VERSIONS, 'rejects an unknown stage', 'stage=Deployed'),
      list(MODEL_VERSIONS, 'rejects an unknown order', 'order=random'),
      list(MODEL_VERSIONS, 'rejects a createdAfter that is not a timestamp', 'createdAfter=yesterday'),
      list(MODEL_VERSIONS, 'rejects a model filter, which the path already gives', `model=${m(fixture.other)}`),
      list(MODEL_VERSIONS, 'answers INVALID_CURSOR for a cursor it never issued', 'cursor=not-a-cursor', 'INVALID_CURSOR'),
    ],
  },

  'GET /api/v1/versions': {
    params: {},
    query: true,
    cases: [
      list('/api/v1/versions', 'rejects a page size that is not a number', 'limit=many'),
      list('/api/v1/versions', 'answers INVALID_FILTER for a filter naming an unknown field', `filter=${encodeURIComponent("colour = 'red'")}`, 'INVALID_FILTER'),
      list('/api/v1/versions', `answers INVALID_FILTER for a filter longer than ${FilterLimits.length} characters`, `filter=${text(FilterLimits.length + 1)}`, 'INVALID_FILTER'),
      list('/api/v1/versions', 'answers INVALID_FILTER for a filter containing NUL', `filter=${encodeURIComponent("tags.a = 'x\u0000'")}`, 'INVALID_FILTER'),
      list('/api/v1/versions', 'rejects an unknown stage', 'stage=Deployed'),
      list('/api/v1/versions', 'rejects a createdBefore that is not a timestamp', 'createdBefore=2026-13-45'),
      list('/api/v1/versions', `rejects a run id longer than ${Limits.runId} characters`, `runId=${text(Limits.runId + 1)}`),
      list('/api/v1/versions', 'rejects a tag filter without a key', 'tag=%3Dvalue'),
      list('/api/v1/versions', 'rejects a run id containing NUL', 'runId=run%00'),
      list('/api/v1/versions', 'answers INVALID_CURSOR for a cursor it never issued', 'cursor=%25%25%25', 'INVALID_CURSOR'),
      list('/api/v1/versions', 'answers INVALID_CURSOR for a tampered cursor whose row id is not an integer', `cursor=${cursor({ o: 'desc', id: 1.5 })}`, 'INVALID_CURSOR'),
      { behaviour: 'answers MODEL_NOT_FOUND when filtering by a model that does not exist', method: 'GET', path: `/api/v1/versions?model=${fixture.missingModel}`, status: 404, code: 'MODEL_NOT_FOUND' },
    ],
  },

  'GET /api/v1/models/{model}/versions/{version}': { params: { model: fixture.model, version: '1' }, cases: [] },

  'PATCH /api/v1/models/{model}/versions/{version}': {
    params: { model: fixture.model, version: '1' },
    body: { description: 'updated' },
    cases: [
      patchVersion('rejects an update without a description', {}),
      patchVersion('rejects a description that is a number', { description: 5 }),
      patchVersion('rejects a description that is a list', { description: ['a', 'b'] }),
      patchVersion(`rejects a description longer than ${Limits.description} characters`, { description: text(Limits.description + 1) }),
      patchVersion('rejects a description containing NUL', { description: 'first\u0000' }),
      patchVersion('rejects a change of stage, which has its own route', { description: 'x', stage: 'Production' }),
      patchVersion('rejects a change of files, which are immutable', { description: 'x', files: [] }),
    ],
  },

  'DELETE /api/v1/models/{model}/versions/{version}': {
    params: { model: fixture.model, version: '1' },
    cases: [{ behaviour: 'answers VERSION_IN_PRODUCTION for a version in Production', method: 'DELETE', path: `/api/v1/models/${m(fixture.live)}/versions/1`, status: 409, code: 'VERSION_IN_PRODUCTION' }],
  },

  'PUT /api/v1/models/{model}/versions/{version}/tags/{key}': {
    params: { model: fixture.model, version: '1', key: fixture.versionTag },
    body: { value: 'april' },
    cases: [
      putVersionTag('rejects a body without a value', {}),
      putVersionTag('rejects a value that is a number', { value: 3 }),
      putVersionTag('rejects a value that is an object', { value: { month: 'april' } }),
      putVersionTag(`rejects a value longer than ${Limits.tagValue} characters`, { value: text(Limits.tagValue + 1) }),
      putVersionTag('rejects a value containing NUL', { value: 'april\u0000' }),
    ],
  },

  'DELETE /api/v1/models/{model}/versions/{version}/tags/{key}': {
    params: { model: fixture.model, version: '1', key: fixture.versionTag },
    cases: [{ behaviour: 'answers TAG_NOT_FOUND for a tag the version does not have', method: 'DELETE', path: `${VERSION}/tags/${fixture.missingTag}`, status: 404, code: 'TAG_NOT_FOUND' }],
  },

  'POST /api/v1/models/{model}/versions/{version}/stage': {
    params: { model: fixture.model, version: '1' },
    body: { stage: 'Staging' },
    cases: [
      stage('rejects a transition without a stage', {}),
      stage('rejects a stage that does not exist', { stage: 'Deployed' }),
      stage('rejects a stage that is a number', { stage: 3 }),
      stage('rejects archiveExisting that is not a boolean', { stage: 'Staging', archiveExisting: 'sometimes' }),
      stage(`rejects a reason longer than ${Limits.reason} characters`, { stage: 'Staging', reason: text(Limits.reason + 1) }),
      stage('rejects a reason containing NUL', { stage: 'Staging', reason: 'ready\u0000' }),
      stage('rejects an actor, which the server decides', { stage: 'Staging', actor: 'someone-else' }),
    ],
  },

  'POST /api/v1/models/{model}/versions/{version}/approval': {
    params: { model: fixture.model, version: '1' },
    body: { status: 'approved' },
    cases: [
      approval('rejects a verdict without a status', {}),
      approval("rejects 'pending', which is where a version starts, not a verdict", { status: 'pending' }),
      approval('rejects a status that does not exist', { status: 'maybe' }),
      approval('rejects a status that is a boolean', { status: true }),
      approval('rejects a comment that is a number', { status: 'approved', comment: 5 }),
      approval(`rejects a comment longer than ${Limits.reason} characters`, { status: 'approved', comment: text(Limits.reason + 1) }),
      approval('rejects a comment containing NUL', { status: 'rejected', comment: 'no\u0000' }),
      approval('rejects a reviewer named in the body, which the server decides', { status: 'approved', by: 'someone-else' }),
    ],
  },

  'GET /api/v1/models/{model}/versions/{version}/transitions': { params: { model: fixture.model, version: '1' }, cases: [] },

  'GET /api/v1/models/{model}/versions/{version}/files': { params: { model: fixture.model, version: '1' }, cases: [] },

  'GET /api/v1/models/{model}/versions/{version}/files/{*}': {
    params: { model: fixture.model, version: '1', '*': fixture.weightsPath },
    cases: [
      getFile('answers FILE_NOT_FOUND for a file the version does not have', 'weights/other.bin', 404, 'FILE_NOT_FOUND'),
      getFile('rejects a file path that climbs with ../', '../../../../etc/passwd', 400, 'INVALID_PATH'),
      getFile('rejects a file path that climbs out from inside', 'weights/../config.json', 400, 'INVALID_PATH'),
      getFile('rejects a percent-encoded ../', '%2E%2E/%2E%2E/etc/passwd', 400, 'INVALID_PATH'),
      getFile('rejects an absolute file path', '/etc/passwd', 400, 'INVALID_PATH'),
      getFile('rejects a file path containing NUL', 'weights/model.bin%00.txt', 400, 'INVALID_PATH'),
      getFile('rejects a file path with a backslash', 'weights%5Cmodel.bin', 400, 'INVALID_PATH'),
      getFile('rejects an empty file path', '', 400, 'INVALID_PATH'),
      getFile('answers 416 with the size for a range starting past the end', fixture.weightsPath, 416, 'RANGE_NOT_SATISFIABLE', { range: `bytes=${WEIGHTS.length}-` }),
      getFile('answers 416 for a range far past the end', fixture.weightsPath, 416, 'RANGE_NOT_SATISFIABLE', { range: 'bytes=1000-2000' }),
      getFile('answers 416 for an empty suffix range', fixture.weightsPath, 416, 'RANGE_NOT_SATISFIABLE', { range: 'bytes=-0' }),
    ].map((c) => (c.status === 416 ? { ...c, responseHeaders: { 'content-range': `bytes */${WEIGHTS.length}` } } : c)),
  },
}
