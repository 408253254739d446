import { Limits } from '@canon/api'
import { fixture, m, MODEL } from './fixtures'
import { cursor, text, type BadRequest, type RouteTable } from './cases'

const post = (behaviour: string, json: unknown, status: number, code: BadRequest['code']): BadRequest => ({ behaviour, method: 'POST', path: '/api/v1/models', json, status, code })
const patch = (behaviour: string, json: unknown, status: number, code: BadRequest['code']): BadRequest => ({ behaviour, method: 'PATCH', path: MODEL, json, status, code })
const listModels = (behaviour: string, query: string, code: BadRequest['code'] = 'INVALID_INPUT'): BadRequest => ({ behaviour, method: 'GET', path: `/api/v1/models?${query}`, status: 400, code })
const putTag = (behaviour: string, json: unknown): BadRequest => ({ behaviour, method: 'PUT', path: `${MODEL}/tags/${fixture.modelTag}`, json, status: 400, code: 'INVALID_INPUT' })

const fresh = 'fresh-model'
const manyTags = Object.fromEntries(Array.from({ length: Limits.tagsPerEntity + 1 }, (_, i) => [`k${i}`, 'v']))

/** Models, model tags and model search. */
export const modelCases: RouteTable = {
  'POST /api/v1/models': {
    params: {},
    body: { name: fresh },
    cases: [
      post('rejects a registration without a name', {}, 400, 'INVALID_INPUT'),
      post('rejects a name that is a number', { name: 123 }, 400, 'INVALID_INPUT'),
      post('rejects a name that is an object', { name: { first: 'churn' } }, 400, 'INVALID_INPUT'),
      post('rejects a description that is a number', { name: fresh, description: 5 }, 400, 'INVALID_INPUT'),
      post('rejects a description that is a list', { name: fresh, description: ['a', 'b'] }, 400, 'INVALID_INPUT'),
      post('rejects tags that are a list', { name: fresh, tags: ['a', 'b'] }, 400, 'INVALID_INPUT'),
      post('rejects a tag value that is a number', { name: fresh, tags: { stars: 5 } }, 400, 'INVALID_INPUT'),
      post(`rejects a name longer than ${Limits.modelName} characters`, { name: text(Limits.modelName + 1, 'n') }, 400, 'INVALID_NAME'),
      post('rejects an empty name', { name: '' }, 400, 'INVALID_NAME'),
      post('rejects a name that climbs with ../', { name: '../escape' }, 400, 'INVALID_NAME'),
      post('rejects an absolute name', { name: '/etc/passwd' }, 400, 'INVALID_NAME'),
      post('rejects a name containing NUL', { name: 'churn\u0000model' }, 400, 'INVALID_NAME'),
      post('rejects a name with characters outside letters, digits and _ - . / space', { name: 'churn!' }, 400, 'INVALID_NAME'),
      post('rejects a name ending in a space', { name: 'churn ' }, 400, 'INVALID_NAME'),
      post(`rejects a description longer than ${Limits.description} characters`, { name: fresh, description: text(Limits.description + 1) }, 400, 'INVALID_INPUT'),
      post(`rejects a tag value longer than ${Limits.tagValue} characters`, { name: fresh, tags: { team: text(Limits.tagValue + 1) } }, 400, 'INVALID_INPUT'),
      post(`rejects a tag key longer than ${Limits.tagKey} characters`, { name: fresh, tags: { [text(Limits.tagKey + 1, 'k')]: 'v' } }, 400, 'INVALID_INPUT'),
      post('rejects an empty tag key', { name: fresh, tags: { '': 'v' } }, 400, 'INVALID_INPUT'),
      post(`rejects more than ${Limits.tagsPerEntity} tags`, { name: fresh, tags: manyTags }, 400, 'INVALID_INPUT'),
      post('rejects a description containing NUL', { name: fresh, description: 'churn\u0000model' }, 400, 'INVALID_INPUT'),
      post('rejects a tag value containing NUL', { name: fresh, tags: { team: 'ml\u0000' } }, 400, 'INVALID_INPUT'),
      post('rejects a tag key containing NUL', { name: fresh, tags: { 'team\u0000': 'ml' } }, 400, 'INVALID_INPUT'),
      post('answers MODEL_EXISTS when the name is already registered', { name: fixture.other }, 409, 'MODEL_EXISTS'),
    ],
  },

  'GET /api/v1/models': {
    params: {},
    query: true,
    cases: [
      listModels('rejects a page size of 0', 'limit=0'),
      listModels(`rejects a page size over ${Limits.pageSize}`, `limit=${Limits.pageSize + 1}`),
      listModels('rejects a page size that is not a number', 'limit=ten'),
      listModels('rejects a fractional page size', 'limit=1.5'),
      listModels('rejects an unknown sort field', 'sort=size'),
      listModels('rejects an unknown sort order', 'order=sideways'),
      listModels('rejects an unknown stage', 'stage=Retired'),
      listModels('rejects an unknown approval status', 'approval=maybe'),
      listModels(`rejects a search string longer than ${Limits.modelName} characters`, `q=${text(Limits.modelName + 1)}`),
      listModels('rejects a tag filter without a key', 'tag=%3Dvalue'),
      listModels('rejects more than 20 tag filters', Array.from({ length: 21 }, (_, i) => `tag=k${i}`).join('&')),
      listModels('rejects a search string containing NUL', 'q=churn%00'),
      listModels('rejects a tag filter containing NUL', 'tag=owner%00'),
      listModels('answers INVALID_CURSOR for a cursor it never issued', 'cursor=not-a-cursor', 'INVALID_CURSOR'),
      listModels('answers INVALID_CURSOR for base64 that is not a cursor', `cursor=${cursor({ id: 'x' })}`, 'INVALID_CURSOR'),
      listModels('answers INVALID_CURSOR for a tampered cursor whose position has the wrong type', `sort=created&cursor=${cursor({ s: 'created', o: 'desc', v: 'zzz', id: 1 })}`, 'INVALID_CURSOR'),
      listModels('answers INVALID_CURSOR for a tampered cursor whose row id is not an integer', `cursor=${cursor({ s: 'name', o: 'asc', v: 'a', id: 1e300 })}`, 'INVALID_CURSOR'),
      listModels('answers INVALID_CURSOR for a tampered cursor holding NUL', `cursor=${cursor({ s: 'name', o: 'asc', v: 'a\u0000', id: 1 })}`, 'INVALID_CURSOR'),
    ],
  },

  'GET /api/v1/models/{model}': {
    params: { model: fixture.model },
    cases: [{ behaviour: 'answers MODEL_NOT_FOUND for an encoded absolute path', method: 'GET', path: `/api/v1/models/${m('/etc/passwd')}`, status: 404, code: 'MODEL_NOT_FOUND' }],
  },

  'PATCH /api/v1/models/{model}': {
    params: { model: fixture.model },
    body: { description: 'updated' },
    cases: [
      patch('rejects an update that changes nothing', {}, 400, 'INVALID_INPUT'),
      patch('rejects a new name that is a number', { name: 42 }, 400, 'INVALID_INPUT'),
      patch('rejects a description that is an object', { description: { text: 'x' } }, 400, 'INVALID_INPUT'),
      patch('rejects a description that is a number', { description: 7 }, 400, 'INVALID_INPUT'),
      patch('rejects tags, which are set one by one', { tags: { a: 'b' } }, 400, 'INVALID_INPUT'),
      patch(`rejects a new name longer than ${Limits.modelName} characters`, { name: text(Limits.modelName + 1, 'n') }, 400, 'INVALID_NAME'),
      patch('rejects an empty new name', { name: '' }, 400, 'INVALID_NAME'),
      patch('rejects a new name that climbs with ../', { name: '../escape' }, 400, 'INVALID_NAME'),
      patch('rejects a new name containing NUL', { name: 'churn\u0000' }, 400, 'INVALID_NAME'),
      patch('rejects a description containing NUL', { description: 'churn\u0000' }, 400, 'INVALID_INPUT'),
      patch(`rejects a description longer than ${Limits.description} characters`, { description: text(Limits.description + 1) }, 400, 'INVALID_INPUT'),
      patch('answers MODEL_EXISTS when renaming onto an existing model', { name: fixture.other }, 409, 'MODEL_EXISTS'),
    ],
  },

  'DELETE /api/v1/models/{model}': {
    params: { model: fixture.model },
    cases: [
      {
        behaviour: 'answers MODEL_HAS_PRODUCTION_VERSION while a version is in Production',
        method: 'DELETE',
        path: `/api/v1/models/${m(fixture.live)}`,
        status: 409,
        code: 'MODEL_HAS_PRODUCTION_VERSION',
      },
    ],
  },

  'PUT /api/v1/models/{model}/tags/{key}': {
    params: { model: fixture.model, key: fixture.modelTag },
    body: { value: 'new-team' },
    cases: [
      putTag('rejects a body without a value', {}),
      putTag('rejects a value that is a number', { value: 42 }),
      putTag('rejects a value that is a list', { value: ['a', 'b'] }),
      putTag('rejects a value that is an object', { value: { team: 'ml' } }),
      putTag(`rejects a value longer than ${Limits.tagValue} characters`, { value: text(Limits.tagValue + 1) }),
      putTag('rejects a value containing NUL', { value: 'ml\u0000team' }),
      { behaviour: 'rejects a tag key containing NUL', method: 'PUT', path: `${MODEL}/tags/owner%00`, json: { value: 'ml' }, status: 400, code: 'INVALID_INPUT' },
    ],
  },

  'DELETE /api/v1/models/{model}/tags/{key}': {
    params: { model: fixture.model, key: fixture.modelTag },
    cases: [
      { behaviour: 'answers TAG_NOT_FOUND for a tag the model does not have', method: 'DELETE', path: `${MODEL}/tags/${fixture.missingTag}`, status: 404, code: 'TAG_NOT_FOUND' },
      { behaviour: 'refuses a tag key containing NUL', method: 'DELETE', path: `${MODEL}/tags/owner%00`, status: 400, code: 'INVALID_INPUT' },
    ],
  },
}
