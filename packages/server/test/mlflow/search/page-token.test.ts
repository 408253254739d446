import { describe, expect, it } from 'vitest'
import { decodePageToken, encodePageToken } from '../../../src/mlflow/search'
import { expectInvalidInput } from './expect-invalid'

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

describe('MLflow page tokens', () => {
  it('encodes offset 100 exactly as MLflow does', () => {
    expect(encodePageToken(100)).toBe('eyJvZmZzZXQiOiAxMDB9')
    expect(Buffer.from(encodePageToken(100), 'base64').toString('utf8')).toBe('{"offset": 100}')
  })

  it.each([1, 100, 1000, 123_456_789, Number.MAX_SAFE_INTEGER])('round-trips offset %d', (offset) => {
    expect(decodePageToken(encodePageToken(offset))).toBe(offset)
  })

  it.each([undefined, ''])('reads an absent token (%j) as the first page', (token) => {
    expect(decodePageToken(token)).toBe(0)
  })

  it.each([
    ['a token MLflow wrote', 'eyJvZmZzZXQiOiAxMDB9', 100],
    ['compact JSON', base64('{"offset":100}'), 100],
    ['a numeric string offset', base64('{"offset": "12"}'), 12],
    ['extra fields', base64('{"offset": 5, "x": 1}'), 5],
    ['surrounding whitespace', ' eyJvZmZzZXQiOiAxMDB9\n', 100],
  ])('accepts %s', (_what, token, offset) => {
    expect(decodePageToken(token)).toBe(offset)
  })

  it.each([
    ['not base64', 'not a token!', 'could not base64-decode'],
    ['missing padding', 'eyJvZmZzZXQiOiAxMDB', 'could not base64-decode'],
    ['url-safe base64', 'eyJvZmZzZXQiOiAxMDB-', 'could not base64-decode'],
    ['not JSON', base64('not json'), 'not JSON'],
    ['a JSON array', base64('[1]'), 'no valid offset'],
    ['a JSON number', base64('5'), 'no valid offset'],
    ['no offset', base64('{}'), 'no valid offset'],
    ['a null offset', base64('{"offset": null}'), 'no valid offset'],
    ['a negative offset', base64('{"offset": -5}'), 'no valid offset'],
    ['a fractional offset', base64('{"offset": 2.5}'), 'no valid offset'],
    ['a non-numeric offset', base64('{"offset": "abc"}'), 'no valid offset'],
    ['an offset beyond safe integers', base64('{"offset": 9007199254740993}'), 'no valid offset'],
  ])('refuses %s', (_what, token, why) => {
    expectInvalidInput(() => decodePageToken(token), 'Invalid page token', why)
  })

  it('refuses to encode an offset that is not a non-negative integer', () => {
    expect(() => encodePageToken(-1)).toThrow(RangeError)
    expect(() => encodePageToken(1.5)).toThrow(RangeError)
  })
})
