import { Limits } from '@canon/api'
import { fixture } from './fixtures'
import { fillPath, JSON_TYPE, splitOperation, text, type BadRequest, type RouteCases } from './cases'

const ONE_MIB = 1024 * 1024

/** The bad requests every operation of its kind must refuse, derived from its path template and whether it takes a body. */
export function genericCases(operation: string, route: RouteCases): BadRequest[] {
  const { method, template } = splitOperation(operation)
  const query = route.requiredQuery ? `?${route.requiredQuery}` : ''
  const path = (overrides: Record<string, string> = {}) => `${fillPath(template, { ...route.params, ...overrides })}${query}`
  const withBody = route.body === undefined ? {} : { json: route.body }
  const cases: BadRequest[] = []

  if (route.body !== undefined) {
    const raw = (behaviour: string, raw: string, status: number, code: BadRequest['code'], contentType = JSON_TYPE): BadRequest => ({
      behaviour,
      method,
      path: path(),
      raw,
      contentType,
      status,
      code,
    })
    cases.push(
      raw('rejects a body that is not valid JSON', '{"description": ', 400, 'INVALID_JSON'),
      raw('rejects JSON with trailing garbage', `${JSON.stringify(route.body)}}`, 400, 'INVALID_JSON'),
      raw('rejects an empty body sent as JSON', '', 400, 'INVALID_JSON'),
      raw('rejects a JSON array where an object is expected', '[]', 400, 'INVALID_INPUT'),
      raw('rejects a JSON string where an object is expected', '"hello"', 400, 'INVALID_INPUT'),
      raw('rejects a body sent as text/plain', JSON.stringify(route.body), 415, 'UNSUPPORTED_MEDIA_TYPE', 'text/plain'),
      raw('rejects a body sent as a form', 'description=x', 415, 'UNSUPPORTED_MEDIA_TYPE', 'application/x-www-form-urlencoded'),
      { behaviour: 'rejects a field the API does not define', method, path: path(), json: { ...(route.body as object), unexpectedField: true }, status: 400, code: 'INVALID_INPUT' },
      { behaviour: 'rejects a JSON body over 1 MiB', method, path: path(), json: { ...(route.body as object), description: text(ONE_MIB + 1) }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
    )
  }

  if (template.includes('{model}')) {
    cases.push(
      { behaviour: 'answers MODEL_NOT_FOUND for a model that does not exist', method, path: path({ model: fixture.missingModel }), ...withBody, status: 404, code: 'MODEL_NOT_FOUND' },
      { behaviour: 'answers MODEL_NOT_FOUND for a model name that climbs with ../', method, path: path({ model: '../../etc/passwd' }), ...withBody, status: 404, code: 'MODEL_NOT_FOUND' },
      { behaviour: 'refuses a model name containing NUL', method, path: path({ model: `${fixture.model}\0` }), ...withBody, status: 400, code: 'INVALID_INPUT' },
    )
  }

  if (template.includes('{version}')) {
    const badVersion = (behaviour: string, version: string): BadRequest => ({ behaviour, method, path: path({ version }), ...withBody, status: 400, code: 'INVALID_INPUT' })
    cases.push(
      { behaviour: 'answers VERSION_NOT_FOUND for a version that does not exist', method, path: path({ version: String(fixture.missingVersion) }), ...withBody, status: 404, code: 'VERSION_NOT_FOUND' },
      badVersion('rejects a version that is not a number', 'latest'),
      badVersion('rejects version 0', '0'),
      badVersion('rejects a negative version', '-1'),
      badVersion('rejects a fractional version', '1.5'),
      badVersion('rejects a version past 2^31-1', '2147483648'),
    )
  }

  if (template.includes('{key}')) {
    cases.push({ behaviour: `rejects a tag key longer than ${Limits.tagKey} characters`, method, path: path({ key: text(Limits.tagKey + 1, 'k') }), ...withBody, status: 400, code: 'INVALID_INPUT' })
  }

  if (template.includes('{user}')) {
    cases.push(
      { behaviour: 'answers USER_NOT_FOUND for a user that does not exist', method, path: path({ user: fixture.missingUser }), ...withBody, status: 404, code: 'USER_NOT_FOUND' },
      { behaviour: 'rejects a user name longer than 128 characters', method, path: path({ user: text(129, 'u') }), ...withBody, status: 400, code: 'INVALID_INPUT' },
      { behaviour: 'refuses a user name containing NUL', method, path: path({ user: `${fixture.user}\0` }), ...withBody, status: 400, code: 'INVALID_INPUT' },
    )
  }

  if (template.includes('{id}')) {
    const badId = (behaviour: string, id: string): BadRequest => ({ behaviour, method, path: path({ id }), ...withBody, status: 400, code: 'INVALID_INPUT' })
    cases.push(
      { behaviour: 'answers TOKEN_NOT_FOUND for a token that does not exist', method, path: path({ id: String(fixture.missingTokenId) }), ...withBody, status: 404, code: 'TOKEN_NOT_FOUND' },
      badId('rejects a token id that is not a number', 'first'),
      badId('rejects token id 0', '0'),
      badId('rejects a negative token id', '-1'),
      badId('rejects a fractional token id', '1.5'),
      badId('rejects a token id past the largest safe integer', '9007199254740992'),
    )
  }

  if (route.query) {
    const separator = query ? '&' : '?'
    cases.push({ behaviour: 'rejects a query parameter the API does not define', method, path: `${path()}${separator}unexpectedParam=1`, status: 400, code: 'INVALID_INPUT' })
  }
  return cases
}
