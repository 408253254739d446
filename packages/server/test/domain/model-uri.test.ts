import { describe, expect, it } from 'vitest'
import { parseModelUri } from '../../src/domain/model-uri'

describe('model URIs', () => {
  it.each([
    ['models:/churn/3', { model: 'churn', selector: { kind: 'number', version: 3 } }],
    ['models:/churn/Production', { model: 'churn', selector: { kind: 'stage', stage: 'Production' } }],
    ['models:/churn/staging', { model: 'churn', selector: { kind: 'stage', stage: 'Staging' } }],
    ['models:/churn@champion', { model: 'churn', selector: { kind: 'alias', alias: 'champion' } }],
    ['models:/churn/latest', { model: 'churn', selector: { kind: 'latest' } }],
    ['model://churn/v3', { model: 'churn', selector: { kind: 'number', version: 3 } }],
    ['model://churn@champion', { model: 'churn', selector: { kind: 'alias', alias: 'champion' } }],
    ['models:/team/churn model/7', { model: 'team/churn model', selector: { kind: 'number', version: 7 } }],
    ['model://a.b/c@x-1', { model: 'a.b/c', selector: { kind: 'alias', alias: 'x-1' } }],
    ['model://churn/latest', { model: 'churn', selector: { kind: 'latestApproved' } }],
  ])('parses %s', (uri, expected) => {
    expect(parseModelUri(uri)).toEqual(expected)
  })

  it.each([
    ['runs:/abc/model', 'must start with'],
    ['models:/churn', "needs '<model>/<version>'"],
    ['models:/churn/', "needs '<model>/<version>'"],
    ['models:/churn/0', 'start at 1'],
    ['models:/churn/Prod', 'neither a version number'],
    ['model://churn/3', "'v<number>'"],
    ['models:/@alias', 'needs a model name'],
    ['models:/churn@', 'needs a model name'],
  ])('refuses %s with a message that says why', (uri, why) => {
    expect(() => parseModelUri(uri)).toThrow(expect.objectContaining({ code: 'INVALID_URI', message: expect.stringContaining(why) }))
  })
})
