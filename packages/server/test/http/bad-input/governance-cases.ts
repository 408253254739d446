import { Limits } from '@canon/api'
import { fixture, m, MODEL, VERSION } from './fixtures'
import { text, type BadRequest, type RouteTable } from './cases'

const POLICY = `/api/v1/policies/${m(fixture.model)}`
const MISSING_REQUEST = 999
const REQUEST = `/api/v1/requests/${MISSING_REQUEST}`

const setPolicy = (behaviour: string, json: unknown, code: BadRequest['code'] = 'INVALID_INPUT'): BadRequest => ({ behaviour, method: 'PUT', path: POLICY, json, status: 400, code })
const request = (behaviour: string, json: unknown, code: BadRequest['code'] = 'INVALID_INPUT'): BadRequest => ({ behaviour, method: 'POST', path: `${VERSION}/requests`, json, status: 400, code })
const check = (behaviour: string, query: string, code: BadRequest['code'] = 'INVALID_INPUT'): BadRequest => ({ behaviour, method: 'GET', path: `${VERSION}/promotion-check?${query}`, status: 400, code })
const inbox = (behaviour: string, query: string): BadRequest => ({ behaviour, method: 'GET', path: `/api/v1/requests?${query}`, status: 400, code: 'INVALID_INPUT' })
const review = (behaviour: string, json: unknown): BadRequest => ({ behaviour, method: 'POST', path: `/api/v1/requests/1/reviews`, json, status: 400, code: 'INVALID_INPUT' })
const badRequestId = (method: string, suffix: string, json?: unknown): BadRequest[] => [
  { behaviour: 'answers REQUEST_NOT_FOUND for a request that does not exist', method, path: `${REQUEST}${suffix}`, json, status: 404, code: 'REQUEST_NOT_FOUND' },
  { behaviour: 'rejects a request id that is not a number', method, path: `/api/v1/requests/first${suffix}`, json, status: 400, code: 'INVALID_INPUT' },
  { behaviour: 'rejects request id 0', method, path: `/api/v1/requests/0${suffix}`, json, status: 400, code: 'INVALID_INPUT' },
]
const rollback = (behaviour: string, json: unknown, path = `${MODEL}/rollback`, status = 400, code: BadRequest['code'] = 'INVALID_INPUT'): BadRequest => ({ behaviour, method: 'POST', path, json, status, code })

/** Promotion policies, the promotion dry run, transition requests and rollback. Auth is off: every refusal is about the input. */
export const governanceCases: RouteTable = {
  'GET /api/v1/policies/{scope}': {
    params: { scope: fixture.model },
    cases: [
      { behaviour: "rejects a scope with '*' other than the global '*'", method: 'GET', path: '/api/v1/policies/fraud-*', status: 400, code: 'INVALID_INPUT' },
      { behaviour: 'answers MODEL_NOT_FOUND for a model that does not exist', method: 'GET', path: `/api/v1/policies/${fixture.missingModel}`, status: 404, code: 'MODEL_NOT_FOUND' },
    ],
  },

  'PUT /api/v1/policies/{scope}': {
    params: { scope: fixture.model },
    body: { requiredApprovals: 2 },
    cases: [
      setPolicy('rejects a negative number of approvals', { requiredApprovals: -1 }),
      setPolicy('rejects more than 10 required approvals', { requiredApprovals: 11 }),
      setPolicy('rejects a fractional number of approvals', { requiredApprovals: 1.5 }),
      setPolicy('rejects approvals given as a string', { requiredApprovals: 'two' }),
      setPolicy('rejects required tags that are not a list', { requiredTags: 'validated_by' }),
      setPolicy('rejects an empty required tag', { requiredTags: [''] }),
      setPolicy('rejects a required metric without a direction', { requiredMetrics: [{ name: 'val_auc', tolerance: 0.01 }] }),
      setPolicy('rejects a negative metric tolerance', { requiredMetrics: [{ name: 'val_auc', higherIsBetter: true, tolerance: -0.1 }] }),
      setPolicy('rejects the same metric named twice', { requiredMetrics: [{ name: 'val_auc', higherIsBetter: true, tolerance: 0 }, { name: 'val_auc', higherIsBetter: false, tolerance: 0 }] }),
      setPolicy('rejects a protected alias that is not a valid alias', { protectedAliases: ['the champion'] }),
      setPolicy("rejects protecting a reserved alias such as 'latest'", { protectedAliases: ['latest'] }, 'INVALID_ALIAS'),
      { behaviour: "rejects a scope with '*' other than the global '*'", method: 'PUT', path: '/api/v1/policies/fraud-*', json: {}, status: 400, code: 'INVALID_INPUT' },
      { behaviour: 'answers MODEL_NOT_FOUND for a model that does not exist', method: 'PUT', path: `/api/v1/policies/${fixture.missingModel}`, json: {}, status: 404, code: 'MODEL_NOT_FOUND' },
    ],
  },

  'GET /api/v1/models/{model}/versions/{version}/promotion-check': {
    params: { model: fixture.model, version: '1' },
    query: true,
    cases: [
      check('rejects a stage that does not exist', 'stage=Deployed'),
      check('rejects asking about a stage and an alias at once', 'stage=Production&alias=champion'),
      check("rejects a reserved alias such as 'latest'", 'alias=latest', 'INVALID_ALIAS'),
    ],
  },

  'POST /api/v1/models/{model}/versions/{version}/requests': {
    params: { model: fixture.model, version: '1' },
    body: { kind: 'stage', target: 'Staging' },
    cases: [
      request('rejects a request without a kind', { target: 'Production' }),
      request("rejects a kind other than 'stage' or 'alias'", { kind: 'delete', target: 'Production' }),
      request('rejects a request without a target', { kind: 'stage' }),
      request('rejects a stage that does not exist', { kind: 'stage', target: 'Deployed' }),
      request("rejects a reserved alias such as 'latest'", { kind: 'alias', target: 'latest' }, 'INVALID_ALIAS'),
      request('rejects an alias with a space', { kind: 'alias', target: 'the champion' }, 'INVALID_ALIAS'),
      request(`rejects a comment longer than ${Limits.reason} characters`, { kind: 'stage', target: 'Staging', comment: text(Limits.reason + 1) }),
      request('rejects a requester named in the body, which the server decides', { kind: 'stage', target: 'Staging', requestedBy: 'someone-else' }),
    ],
  },

  'GET /api/v1/requests': {
    params: {},
    query: true,
    cases: [inbox('rejects a status that does not exist', 'status=maybe'), inbox('rejects a limit of 0', 'limit=0'), inbox('rejects mine that is not a boolean', 'mine=perhaps')],
  },

  'GET /api/v1/requests/{request}': { params: { request: String(MISSING_REQUEST) }, cases: badRequestId('GET', '') },

  'POST /api/v1/requests/{request}/reviews': {
    params: { request: '1' },
    body: { decision: 'approve' },
    cases: [
      review('rejects a review without a decision', {}),
      review("rejects a decision other than 'approve' or 'reject'", { decision: 'maybe' }),
      review('rejects a comment that is a number', { decision: 'approve', comment: 5 }),
      review('rejects a reviewer named in the body, which the server decides', { decision: 'approve', reviewer: 'someone-else' }),
      ...badRequestId('POST', '/reviews', { decision: 'approve' }),
    ],
  },

  'POST /api/v1/requests/{request}/cancel': {
    params: { request: '1' },
    body: {},
    cases: [
      { behaviour: 'rejects a reason that is a number', method: 'POST', path: `/api/v1/requests/1/cancel`, json: { reason: 5 }, status: 400, code: 'INVALID_INPUT' },
      ...badRequestId('POST', '/cancel', {}),
    ],
  },

  'POST /api/v1/models/{model}/rollback': {
    params: { model: fixture.live },
    body: { reason: 'latency regression' },
    cases: [
      rollback('rejects a rollback without a reason', {}),
      rollback('rejects an empty reason', { reason: '' }),
      rollback('rejects override that is not a boolean', { reason: 'x', override: 'yes' }),
      rollback('answers INVALID_STATE for a model with no Production version', { reason: 'x' }, `${MODEL}/rollback`, 409, 'INVALID_STATE'),
      rollback('answers INVALID_STATE when no other version was ever in Production', { reason: 'x' }, `/api/v1/models/${m(fixture.live)}/rollback`, 409, 'INVALID_STATE'),
    ],
  },
}
