import { Limits } from '@canon/api'
import { fixture, MODEL, VERSION } from './fixtures'
import { text, type BadRequest, type RouteTable } from './cases'

const owner = { name: 'Fraud ML', contact: 'fraud-ml@example.com' }

/** The same refusals for the model card and a version card. */
const putCard = (path: string): BadRequest[] => {
  const put = (behaviour: string, json: unknown): BadRequest => ({ behaviour, method: 'PUT', path, json, status: 400, code: 'INVALID_INPUT' })
  return [
    put('rejects a field that is a number', { intendedUse: 42 }),
    put('rejects a field that is a list', { trainingData: ['a', 'b'] }),
    put('rejects owners that are a string', { owners: 'Fraud ML' }),
    put('rejects an owner without a contact', { owners: [{ name: 'Fraud ML' }] }),
    put('rejects an owner with an empty name', { owners: [{ name: '', contact: 'x@example.com' }] }),
    put('rejects an owner with a field the API does not define', { owners: [{ ...owner, role: 'lead' }] }),
    put(`rejects a field longer than ${Limits.cardField} characters`, { evaluationResults: text(Limits.cardField + 1) }),
    put(`rejects a body longer than ${Limits.cardBody} characters`, { body: text(Limits.cardBody + 1) }),
    put(`rejects more than ${Limits.cardOwners} owners`, { owners: Array.from({ length: Limits.cardOwners + 1 }, () => owner) }),
    put(`rejects an owner contact longer than ${Limits.cardField} characters`, { owners: [{ name: 'Fraud ML', contact: text(Limits.cardField + 1) }] }),
    put('rejects a field containing NUL', { intendedUse: 'fraud\u0000review' }),
    put('rejects completeness sent by the client, which the server decides', { intendedUse: 'x', complete: true }),
  ]
}

/** Model cards and version cards. */
export const cardCases: RouteTable = {
  'GET /api/v1/models/{model}/card': { params: { model: fixture.model }, cases: [] },
  'PUT /api/v1/models/{model}/card': { params: { model: fixture.model }, body: { intendedUse: 'fraud review' }, cases: putCard(`${MODEL}/card`) },
  'GET /api/v1/models/{model}/card/export': { params: { model: fixture.model }, cases: [] },
  'GET /api/v1/models/{model}/versions/{version}/card': { params: { model: fixture.model, version: '1' }, cases: [] },
  'PUT /api/v1/models/{model}/versions/{version}/card': { params: { model: fixture.model, version: '1' }, body: { intendedUse: 'fraud review' }, cases: putCard(`${VERSION}/card`) },
  'GET /api/v1/models/{model}/versions/{version}/card/export': { params: { model: fixture.model, version: '1' }, cases: [] },
}
