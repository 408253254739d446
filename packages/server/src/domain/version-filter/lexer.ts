import { filterError } from './filter-error'

export type TokenType = 'field' | 'keyword' | 'string' | 'number' | 'operator' | '(' | ')' | ',' | 'end'

export interface Token {
  type: TokenType
  /** the source text of the token ('' at the end) */
  text: string
  /** 0-based offset into the filter */
  start: number
  /** for `field`: the prefix (e.g. 'metrics'); for `string`: the unquoted value */
  value?: string
  /** for `field`: the key after the dot, unquoted */
  key?: string
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'LIKE', 'ILIKE', 'IS', 'NULL'])
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y
const KEY = /[\p{L}\p{N}_.\-/:]+/uy
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?![\p{L}_])/uy
const OPERATOR = /!=|<>|<=|>=|=|<|>/y
const SPACE = /\s+/y

function match(pattern: RegExp, source: string, at: number): string | undefined {
  pattern.lastIndex = at
  return pattern.exec(source)?.[0]
}

/** Reads a quoted run starting at `at` (the quote char doubled inside stands for itself); returns its text and value. */
function quoted(source: string, at: number, quote: string, what: string): { text: string; value: string } {
  let value = ''
  let i = at + 1
  for (;;) {
    const close = source.indexOf(quote, i)
    if (close < 0) throw filterError(at, `unterminated ${what} starting here: close it with ${quote}`, [quote])
    value += source.slice(i, close)
    if (source[close + 1] === quote) {
      value += quote
      i = close + 2
      continue
    }
    return { text: source.slice(at, close + 1), value }
  }
}

/** Splits a filter into tokens, ending with one `end` token. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let at = 0
  while (at < source.length) {
    const space = match(SPACE, source, at)
    if (space) {
      at += space.length
      continue
    }
    const char = source[at]!
    let token: Token
    if (char === "'" || char === '"') {
      const q = quoted(source, at, char, 'string')
      token = { type: 'string', text: q.text, value: q.value, start: at }
    } else if (char === '(' || char === ')' || char === ',') {
      token = { type: char, text: char, start: at }
    } else if (match(NUMBER, source, at) !== undefined && (char !== '-' || /[\d.]/.test(source[at + 1] ?? ''))) {
      token = { type: 'number', text: match(NUMBER, source, at)!, start: at }
    } else if (source.startsWith('==', at)) {
      throw filterError(at, "'==' is not an operator here: compare with a single '='", ['='], '==')
    } else if (match(OPERATOR, source, at) !== undefined) {
      token = { type: 'operator', text: match(OPERATOR, source, at)!, start: at }
    } else if (char === '`') {
      throw filterError(at, 'a backquoted name must follow a field prefix, e.g. tags.`my key`', ['a field'])
    } else {
      const word = match(WORD, source, at)
      if (word === undefined) throw filterError(at, `unexpected character '${char}'`, ['a field', 'a value', 'an operator'])
      token = source[at + word.length] === '.' ? keyedField(source, at, word) : wordToken(word, at)
    }
    tokens.push(token)
    at = token.start + token.text.length
  }
  tokens.push({ type: 'end', text: '', start: source.length })
  return tokens
}

function wordToken(word: string, at: number): Token {
  const upper = word.toUpperCase()
  return KEYWORDS.has(upper) ? { type: 'keyword', text: word, value: upper, start: at } : { type: 'field', text: word, value: word, start: at }
}

/** `prefix.key` or prefix.`any key`; the key is read whole, dots included. */
function keyedField(source: string, at: number, prefix: string): Token {
  const keyAt = at + prefix.length + 1
  if (source[keyAt] === '`') {
    const q = quoted(source, keyAt, '`', 'backquoted key')
    if (q.value === '') throw filterError(keyAt, `the key after '${prefix}.' is empty`, ['a key'])
    return { type: 'field', text: source.slice(at, keyAt) + q.text, value: prefix, key: q.value, start: at }
  }
  const key = match(KEY, source, keyAt)
  if (key === undefined) throw filterError(keyAt, `expected a key after '${prefix}.' (quote unusual keys in backquotes, e.g. ${prefix}.\`my key\`)`, ['a key'])
  return { type: 'field', text: source.slice(at, keyAt + key.length), value: prefix, key, start: at }
}
