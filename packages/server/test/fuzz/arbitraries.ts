import fc from 'fast-check'
import { fixture, m, NEVER_UPLOADED } from '../http/bad-input/fixtures'

// Random request parts: some drawn from the fixture (so requests get past lookups into the code behind them),
// the rest hostile (wrong types, huge strings, odd unicode, NUL, percent-garbage, dot segments).

const hostileStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '..',
  '../..',
  '%',
  '%%',
  '%zz',
  '%00',
  '%2F',
  '%2e%2e',
  '\uFEFF',
  '\u202E',
  '\uD800',
  '🤖',
  'é'.normalize('NFD'),
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  "'; drop table models; --",
  '${x}',
  '<script>',
  'models:/x/1',
  'model://x@y',
  'x'.repeat(5000),
]

const fixtureStrings = [
  fixture.model,
  fixture.live,
  fixture.other,
  fixture.alias,
  fixture.modelTag,
  fixture.versionTag,
  fixture.weightsPath,
  fixture.configPath,
  fixture.user,
  fixture.weightsDigest,
  NEVER_UPLOADED,
  'Production',
  'Staging',
  'Archived',
  'None',
  'viewer',
  'admin',
  '1',
  '2',
  'pending',
  'approved',
]

/** Strings short enough to travel in a URL (Node refuses request heads over 16 KiB before Canon sees them). */
export const shortString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(...hostileStrings.map((s) => s.slice(0, 600))) },
  { weight: 3, arbitrary: fc.constantFrom(...fixtureStrings) },
)

/** Strings for bodies, where size is no transport limit: also long, odd unicode. */
export const anyString = fc.oneof(
  { weight: 8, arbitrary: shortString },
  { weight: 1, arbitrary: fc.constant('x'.repeat(100_000)) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 300, maxLength: 3000 }) },
)

export const anyNumber = fc.oneof(
  fc.integer(),
  fc.integer({ min: -2, max: 1000 }),
  fc.double(),
  fc.constantFrom(0, -1, 1, 2, 999, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER, 0.5),
)

export const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyString,
    anyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyString, tie('value'), { maxKeys: 4 }),
  ),
})).value

/** Field names Canon's native and MLflow bodies and query strings use, so random values land on real fields. */
export const FIELD_NAMES = [
  'name', 'new_name', 'description', 'tags', 'key', 'value', 'version', 'versions', 'stage', 'stages', 'alias', 'aliases',
  'archive_existing_versions', 'archiveExisting', 'files', 'path', 'size', 'digest', 'source', 'run_id', 'runId', 'run_link',
  'experiment_id', 'experiment_ids', 'experimentId', 'filter', 'filter_string', 'max_results', 'order_by', 'page_token',
  'limit', 'cursor', 'after', 'before', 'since', 'until', 'model', 'target', 'actor', 'action', 'reason', 'comment',
  'role', 'scope', 'user', 'status', 'metrics', 'params', 'lineage', 'datasets', 'parent', 'timestamp', 'step',
  'start_time', 'end_time', 'run_name', 'artifact_location', 'lifecycle_stage', 'view_type', 'run_view_type',
  'metric_key', 'inputs', 'model_json', 'apply', 'graceSeconds', 'grace', 'uri', 'sections', 'card', 'policy',
  'requiredApprovals', 'approvals', 'decision', 'expiresAt', 'token', 'format', 'signature', 'environment', 'code',
]

export const fieldName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FIELD_NAMES) }, { weight: 1, arbitrary: anyString })

const filterIdentifiers = [
  'name', 'tags.owner', 'tags.`owner`', 'tags."a b"', 'tag.x', 'run_id', 'source_path', 'version_number', 'source', 'current_stage',
  'params.lr', 'param.lr', 'metrics.acc', 'metric.acc', 'attributes.status', 'attribute.run_name', 'attributes.start_time',
  'attributes.run_id', 'datasets.name', 'dataset.digest', 'datasets.context', 'status', 'start_time', '`weird`', 'x.y.z', '',
]
const filterOperators = ['=', '!=', '<', '>', '<=', '>=', 'LIKE', 'ILIKE', 'like', 'IN', 'NOT IN', '==', '~', '']
const filterValues = ["'bad-input/churn'", "'%'", "'_'", "'%churn%'", '"x"', '1', '-1', '1.5e308', 'NaN', "('a', 'b')", "('1')", '()', "'unterminated", '"', "''", 'null', "'\\'", "'it''s'", "'\u0000'", '']

/** MLflow search filters: mostly grammatical, sometimes broken, sometimes random. */
export const filterString = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom(...filterIdentifiers), fc.constantFrom(...filterOperators), fc.constantFrom(...filterValues)), { minLength: 1, maxLength: 3 })
      .chain((clauses) => fc.constantFrom(' AND ', ' and ', ' OR ', '  ').map((join) => clauses.map((c) => c.join(' ')).join(join))),
  },
  { weight: 1, arbitrary: shortString },
)

export const orderBy = fc.oneof(
  fc.constantFrom('name', 'name ASC', 'name DESC', 'version_number DESC', 'last_updated_timestamp', 'metrics.acc DESC', 'params.lr', 'attributes.start_time', 'timestamp desc', 'tags.x', 'bogus', 'name SIDEWAYS', ''),
  shortString,
)

/** A path segment as it goes on the wire: an encoded fixture name, an encoded random string, or raw percent/dot garbage. */
export const pathSegment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...fixtureStrings).map(m) },
  { weight: 3, arbitrary: shortString.map((s) => encodeURIComponent(toWellFormed(s))) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.constantFrom('a', 'Z', '0', '9', '-', '_', '.', '..', '~', '%', '%2F', '%2f', '%5C', '%00', '%zz', '%E0%A4', '%C0%AF', '%FF', ':', '@', '!', '$', '&', "'", '(', ')', '*', '+', ',', ';', '='), {
        minLength: 1,
        maxLength: 12,
      })
      .map((parts) => parts.join('')),
  },
)

/** A value as it goes into a query string: percent-encoded text, or raw percent-garbage. */
export const queryValue = fc.oneof(
  { weight: 3, arbitrary: fc.oneof(shortString, filterString, orderBy, anyNumber.map(String)).map((s) => encodeURIComponent(toWellFormed(s))) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%00', '%FF', '&', '=', '==', '%26', '+', 'a%2', '') },
)

export const queryString = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...FIELD_NAMES), shortString.map((s) => encodeURIComponent(toWellFormed(s)))), queryValue), { maxLength: 5 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`))

/** A value each known field takes in a request that would succeed against the fixture. */
const plausible: Record<string, unknown[]> = {
  name: [fixture.model, fixture.live, fixture.other, 'fuzz/new-model'],
  new_name: ['fuzz/renamed', fixture.other],
  description: ['fine', ''],
  version: ['1', 1, 2],
  stage: ['Production', 'Staging', 'Archived', 'None'],
  archive_existing_versions: [true, false],
  archiveExisting: [true, false],
  key: [fixture.modelTag, fixture.versionTag, 'k'],
  value: ['v', ''],
  alias: [fixture.alias, 'challenger'],
  tags: [{ owner: 'x' }, [{ key: 'owner', value: 'x' }]],
  files: [[{ path: fixture.weightsPath, size: 31, digest: fixture.weightsDigest }]],
  source: ['models:/bad-input%2Fchurn/1', 's3://bucket/path', 'mlflow-artifacts:/0/abc/artifacts/model'],
  run_id: ['0123456789abcdef0123456789abcdef'],
  experiment_id: ['0', '1'],
  experiment_ids: [['0']],
  max_results: [1, 10],
  filter: ["name = 'bad-input/churn'"],
  filter_string: ["name LIKE 'bad%'"],
  order_by: [['name ASC']],
  status: ['approved', 'rejected', 'FINISHED'],
  comment: ['looks good'],
  reason: ['because'],
  decision: ['approve', 'reject'],
  kind: ['stage', 'alias'],
  target: ['Production', 'champion'],
  role: ['viewer', 'editor', 'approver', 'admin'],
  scope: ['*', fixture.model],
  requiredApprovals: [0, 1, 2],
  apply: [false],
  graceSeconds: [3600],
  metrics: [{ acc: 0.9 }, [{ key: 'acc', value: 0.9, timestamp: 1, step: 0 }]],
  params: [{ lr: '0.1' }, [{ key: 'lr', value: '0.1' }]],
  timestamp: [1_700_000_000_000],
  step: [0],
}

/** A body that is nearly right for some route: plausible fields, one or two of them swapped for random values. */
export const plausibleBody = fc
  .tuple(
    fc.subarray(Object.keys(plausible), { minLength: 1, maxLength: 6 }).chain((keys) => fc.tuple(...keys.map((k) => fc.constantFrom(...plausible[k]!).map((v) => [k, v] as const)))),
    fc.array(fc.tuple(fieldName, anyValue), { maxLength: 2 }),
  )
  .map(([fields, swaps]) => Object.fromEntries([...fields, ...swaps]))

/** A JSON body: random values, or an object of known field names with random values (the likelier way past a schema). */
export const jsonBody = fc.oneof(
  { weight: 1, arbitrary: anyValue },
  { weight: 3, arbitrary: fc.dictionary(fieldName, fc.oneof(anyValue, filterString, orderBy), { maxKeys: 6 }) },
  { weight: 4, arbitrary: plausibleBody },
)

/** encodeURIComponent throws on lone surrogates; replace them with U+FFFD the way a well-behaved client would. */
export function toWellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
}

