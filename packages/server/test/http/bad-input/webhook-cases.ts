import { text, type BadRequest, type RouteTable } from './cases'

// Webhooks and schedules. Path parameters name ones that do not exist: every input check runs before the lookup, and the
// lookup's own answer is a case of its own.
const HOOK = 'no-such-webhook'
const SCHEDULE = 'no-such-schedule'
const VALID = { name: 'ci', url: 'http://127.0.0.1:9/hook', events: ['version.created'] }
const SCHEDULE_BODY = { name: 'nightly', cron: '0 3 * * *', webhookId: HOOK }

const create = (behaviour: string, json: unknown, code: BadRequest['code'] = 'INVALID_INPUT'): BadRequest => ({ behaviour, method: 'POST', path: '/api/v1/webhooks', json, status: 400, code })
const update = (behaviour: string, json: unknown, code: BadRequest['code'] = 'INVALID_INPUT'): BadRequest => ({ behaviour, method: 'PATCH', path: `/api/v1/webhooks/${HOOK}`, json, status: 400, code })
const schedule = (behaviour: string, json: unknown, code: BadRequest['code'] = 'INVALID_INPUT'): BadRequest => ({ behaviour, method: 'POST', path: '/api/v1/schedules', json, status: 400, code })
const reschedule = (behaviour: string, json: unknown): BadRequest => ({ behaviour, method: 'PATCH', path: `/api/v1/schedules/${SCHEDULE}`, json, status: 400, code: 'INVALID_INPUT' })
const missingHook = (method: string, suffix = '', json?: unknown): BadRequest[] => [
  { behaviour: 'answers WEBHOOK_NOT_FOUND for a webhook that does not exist', method, path: `/api/v1/webhooks/${HOOK}${suffix}`, json, status: 404, code: 'WEBHOOK_NOT_FOUND' },
  { behaviour: 'rejects a webhook id longer than 64 characters', method, path: `/api/v1/webhooks/${text(65)}${suffix}`, json, status: 400, code: 'INVALID_INPUT' },
]
const missingSchedule = (method: string, suffix = '', json?: unknown): BadRequest[] => [
  { behaviour: 'answers SCHEDULE_NOT_FOUND for a schedule that does not exist', method, path: `/api/v1/schedules/${SCHEDULE}${suffix}`, json, status: 404, code: 'SCHEDULE_NOT_FOUND' },
  { behaviour: 'rejects a schedule name longer than 128 characters', method, path: `/api/v1/schedules/${text(129)}${suffix}`, json, status: 400, code: 'INVALID_INPUT' },
]

export const webhookCases: RouteTable = {
  'POST /api/v1/webhooks': {
    params: {},
    body: VALID,
    cases: [
      create('rejects a webhook without a URL', { name: 'ci', events: ['version.created'] }),
      create('rejects a URL that is not http(s)', { ...VALID, url: 'file:///etc/passwd' }),
      create('rejects a URL that is not a URL', { ...VALID, url: 'not a url at all' }),
      create('rejects a URL carrying credentials', { ...VALID, url: 'https://user:pw@example.com/hook' }),
      create('rejects an empty event list', { ...VALID, events: [] }),
      create('rejects an event Canon does not have', { ...VALID, events: ['version.exploded'] }),
      create('rejects a secret shorter than 16 characters', { ...VALID, secret: 'short' }),
      create('rejects a status other than active or paused', { ...VALID, status: 'sleeping' }),
      create('rejects a name longer than 256 characters', { ...VALID, name: text(257) }, 'INVALID_NAME'),
      create('rejects a model filter that is not a model name', { ...VALID, model: '../etc' }, 'INVALID_NAME'),
    ],
  },
  'GET /api/v1/webhooks': {
    params: {},
    cases: [{ behaviour: 'rejects a trailing slash, which names an empty webhook id', method: 'GET', path: '/api/v1/webhooks/', status: 400, code: 'INVALID_INPUT' }],
  },
  'GET /api/v1/webhooks/{webhook}': { params: { webhook: HOOK }, cases: missingHook('GET') },
  'PATCH /api/v1/webhooks/{webhook}': {
    params: { webhook: HOOK },
    body: { status: 'paused' },
    cases: [
      ...missingHook('PATCH', '', { status: 'paused' }),
      update('rejects a URL that is not http(s)', { url: 'ftp://example.com/hook' }),
      update('rejects an event Canon does not have', { events: ['alias.exploded'] }),
      update('rejects rotateSecret that is not a boolean', { rotateSecret: 'yes' }),
      update('rejects setting the secret directly (it can only be rotated)', { secret: 'a-secret-of-my-own-choosing' }),
    ],
  },
  'DELETE /api/v1/webhooks/{webhook}': { params: { webhook: HOOK }, cases: missingHook('DELETE') },
  'GET /api/v1/webhooks/{webhook}/deliveries': {
    params: { webhook: HOOK },
    query: true,
    cases: [
      ...missingHook('GET', '/deliveries'),
      { behaviour: 'rejects a status no delivery has', method: 'GET', path: `/api/v1/webhooks/${HOOK}/deliveries?status=lost`, status: 400, code: 'INVALID_INPUT' },
      { behaviour: 'rejects a limit over 500', method: 'GET', path: `/api/v1/webhooks/${HOOK}/deliveries?limit=501`, status: 400, code: 'INVALID_INPUT' },
    ],
  },
  'POST /api/v1/webhooks/{webhook}/test': { params: { webhook: HOOK }, cases: missingHook('POST', '/test') },
  'POST /api/v1/webhooks/{webhook}/deliveries/{delivery}/redeliver': {
    params: { webhook: HOOK, delivery: 'no-such-delivery' },
    cases: [
      ...missingHook('POST', '/deliveries/no-such-delivery/redeliver'),
      { behaviour: 'rejects a delivery id longer than 64 characters', method: 'POST', path: `/api/v1/webhooks/${HOOK}/deliveries/${text(65)}/redeliver`, status: 400, code: 'INVALID_INPUT' },
    ],
  },

  'POST /api/v1/schedules': {
    params: {},
    body: SCHEDULE_BODY,
    cases: [
      schedule('rejects a cron expression with a field out of range', { ...SCHEDULE_BODY, cron: '61 * * * *' }),
      schedule('rejects a cron expression with too few fields', { ...SCHEDULE_BODY, cron: '* *' }),
      schedule('rejects a time zone that does not exist', { ...SCHEDULE_BODY, timezone: 'Mars/Olympus' }),
      schedule('rejects a name with spaces', { ...SCHEDULE_BODY, name: 'nightly train' }, 'INVALID_NAME'),
      schedule('rejects a payload that is not an object', { ...SCHEDULE_BODY, payload: [1, 2] }),
      schedule('rejects a schedule without a webhook', { name: 'nightly', cron: '0 3 * * *' }),
      { behaviour: 'answers WEBHOOK_NOT_FOUND for a webhook that does not exist', method: 'POST', path: '/api/v1/schedules', json: SCHEDULE_BODY, status: 404, code: 'WEBHOOK_NOT_FOUND' },
    ],
  },
  'GET /api/v1/schedules': {
    params: {},
    cases: [{ behaviour: 'rejects a trailing slash, which names an empty schedule', method: 'GET', path: '/api/v1/schedules/', status: 400, code: 'INVALID_INPUT' }],
  },
  'GET /api/v1/schedules/{schedule}': { params: { schedule: SCHEDULE }, cases: missingSchedule('GET') },
  'PATCH /api/v1/schedules/{schedule}': {
    params: { schedule: SCHEDULE },
    body: { cron: '0 4 * * *' },
    cases: [...missingSchedule('PATCH', '', { cron: '0 4 * * *' }), reschedule('rejects a cron expression it cannot read', { cron: 'every night' }), reschedule('rejects a time zone that does not exist', { timezone: 'Nowhere/City' })],
  },
  'DELETE /api/v1/schedules/{schedule}': { params: { schedule: SCHEDULE }, cases: missingSchedule('DELETE') },
  'POST /api/v1/schedules/{schedule}/pause': { params: { schedule: SCHEDULE }, cases: missingSchedule('POST', '/pause') },
  'POST /api/v1/schedules/{schedule}/resume': { params: { schedule: SCHEDULE }, cases: missingSchedule('POST', '/resume') },
  'GET /api/v1/schedules/{schedule}/fires': {
    params: { schedule: SCHEDULE },
    query: true,
    cases: [...missingSchedule('GET', '/fires'), { behaviour: 'rejects a limit of 0', method: 'GET', path: `/api/v1/schedules/${SCHEDULE}/fires?limit=0`, status: 400, code: 'INVALID_INPUT' }],
  },
}
