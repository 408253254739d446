import { describe, expect, it } from 'vitest'
import { checkAlias, checkFilePath, checkModelName } from '../../src/domain/validation'
import { planTransition } from '../../src/domain/stages'
import { parseRange } from '../../src/http/send-blob'

describe('names and paths', () => {
  it.each(['churn', 'team-a/fraud model.v2', '_private', 'a'.repeat(256)])('accepts model name %s', (name) => {
    expect(checkModelName(name)).toBe(name)
  })

  it.each(['', 'a'.repeat(257), ' leading', 'trailing ', '../x', 'semi;colon', 'emoji🙂', '/root'])('refuses model name %j', (name) => {
    expect(() => checkModelName(name)).toThrow(expect.objectContaining({ code: 'INVALID_NAME' }))
  })

  it.each(['champion', 'challenger_2', 'A-B'])('accepts alias %s', (alias) => expect(checkAlias(alias)).toBe(alias))

  it.each(['latest', 'v1', 'V22', 'has space', '', 'a'.repeat(256), 'dot.ted'])('refuses alias %j', (alias) => {
    expect(() => checkAlias(alias)).toThrow(expect.objectContaining({ code: 'INVALID_ALIAS' }))
  })

  it.each(['model.pkl', 'a/b/c.bin', 'MLmodel', '.hidden/config'])('accepts file path %s', (path) => expect(checkFilePath(path)).toBe(path))

  it.each(['../x', 'a/../../b', '/etc/passwd', 'C:/x', 'a\\b', 'a\0b', 'a//b', './a', 'a/', ''])('refuses file path %j', (path) => {
    expect(() => checkFilePath(path)).toThrow(expect.objectContaining({ code: 'INVALID_PATH' }))
  })
})

describe('stage transitions', () => {
  it('promoting to Production archives the other Production versions', () => {
    expect(planTransition({ version: 3, to: 'Production', archiveExisting: true, versionsInTargetStage: [1, 2] })).toEqual({ to: 'Production', archive: [1, 2] })
  })
  it('archives nothing when asked not to, or when the target is not Production', () => {
    expect(planTransition({ version: 3, to: 'Production', archiveExisting: false, versionsInTargetStage: [1] }).archive).toEqual([])
    expect(planTransition({ version: 3, to: 'Staging', archiveExisting: true, versionsInTargetStage: [1] }).archive).toEqual([])
  })
})

describe('HTTP ranges', () => {
  it.each([
    ['bytes=0-4', 10, { start: 0, end: 4 }],
    ['bytes=5-', 10, { start: 5, end: 9 }],
    ['bytes=-3', 10, { start: 7, end: 9 }],
    ['bytes=8-100', 10, { start: 8, end: 9 }],
    ['bytes=-100', 10, { start: 0, end: 9 }],
    ['bytes=10-', 10, 'unsatisfiable'],
    ['bytes=0-', 0, 'unsatisfiable'],
    ['bytes=1-2,4-5', 10, undefined],
    ['items=0-1', 10, undefined],
    ['bytes=5-2', 10, undefined],
    [undefined, 10, undefined],
  ])('%s of %i bytes', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected)
  })
})
