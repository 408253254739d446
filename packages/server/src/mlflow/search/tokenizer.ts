import { echo, invalidInput } from './invalid-input'

/**
 * - `field`: a bare word, a `backticked` name, or a dotted name such as tags.`my key` (text kept raw).
 * - `quoted`: a standalone "double-quoted" text; a field name on the left of a comparator, a string on the right.
 * - `string`: a 'single-quoted' string (text kept raw, quotes included).
 */
export type TokenType = 'field' | 'quoted' | 'string' | 'number' | 'operator' | 'keyword' | 'punctuation'

export interface Token {
  type: TokenType
  text: string
  /** 0-based offset into the source. */
  start: number
}

// The lexical rules below follow the sqlparse rules MLflow 2.17 parses filters with (sqlparse 0.5).
const SINGLE_QUOTED = /'(?:''|\\'|[^'])*'/y
const DOUBLE_QUOTED = /"(?:""|\\"|[^"])*"/y
const BACKTICKED = /`(?:``|[^`])*`/y
const WORD = /[\p{L}\p{N}_]+/uy
const NUMBER_WITH_EXPONENT = /-?\d+(?:\.\d+)?[eE]-?\d+/y
const DECIMAL = /-?(?:\d+\.\d*|\.\d+)(?![_\p{L}])/uy
const INTEGER = /-?\d+(?![_\p{L}])/uy
const COMPARISON_OPERATOR = /[<>=~!]+/y
const WHITESPACE = /\s+/y
const QUOTES = ['\'', '"', '`']
const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'LIKE', 'ILIKE', 'RLIKE', 'REGEXP'])

/** Splits a filter string or order_by clause into tokens; `subject` names the input in error messages. */
export function tokenize(source: string, subject: string): Token[] {
  const tokens: Token[] = []
  let at = 0
  function fail(detail: string): never {
    throw invalidInput(`Invalid ${subject} ${echo(source)}: ${detail}`)
  }
  function matchAt(pattern: RegExp, from: number): string | undefined {
    pattern.lastIndex = from
    return pattern.exec(source)?.[0]
  }

  // A quoted or bare name part, as allowed after a dot in a dotted field name.
  const namePart = (from: number): string | undefined =>
    matchAt(WORD, from) ?? matchAt(BACKTICKED, from) ?? matchAt(DOUBLE_QUOTED, from) ?? matchAt(SINGLE_QUOTED, from)

  const continueDotted = (start: number, firstPartEnd: number): Token => {
    let end = firstPartEnd
    while (source[end] === '.') {
      const part = namePart(end + 1)
      if (part === undefined) {
        if (QUOTES.includes(source[end + 1] ?? '.')) fail(`unterminated quoted name starting at character ${end + 2}`)
        fail(`expected a key right after the '.' at character ${end + 1} (quote keys with spaces or dashes in backticks, e.g. tags.\`my key\`)`)
      }
      end += 1 + part.length
    }
    return { type: 'field', text: source.slice(start, end), start }
  }

  while (at < source.length) {
    const char = source[at] ?? ''
    const next = source[at + 1] ?? ''
    const space = matchAt(WHITESPACE, at)
    if (space !== undefined) {
      at += space.length
      continue
    }
    if ((char === '-' && next === '-') || (char === '/' && next === '*')) {
      fail(`comments are not supported (at character ${at + 1})`)
    }
    let token: Token
    if (char === "'") {
      const text = matchAt(SINGLE_QUOTED, at) ?? fail(`unterminated quoted string starting at character ${at + 1}`)
      token = { type: 'string', text, start: at }
    } else if (char === '"') {
      const text = matchAt(DOUBLE_QUOTED, at) ?? fail(`unterminated quoted string starting at character ${at + 1}`)
      token = source[at + text.length] === '.' ? continueDotted(at, at + text.length) : { type: 'quoted', text, start: at }
    } else if (char === '`') {
      const text = matchAt(BACKTICKED, at) ?? fail(`unterminated backtick-quoted name starting at character ${at + 1}`)
      token = continueDotted(at, at + text.length)
    } else {
      const number = /[-.\d]/.test(char)
        ? (matchAt(NUMBER_WITH_EXPONENT, at) ?? matchAt(DECIMAL, at) ?? matchAt(INTEGER, at))
        : undefined
      const word = number === undefined ? matchAt(WORD, at) : undefined
      const operator = matchAt(COMPARISON_OPERATOR, at)
      if (number !== undefined) {
        token = { type: 'number', text: number, start: at }
      } else if (word !== undefined) {
        const isKeyword = source[at + word.length] !== '.' && /^[A-Za-z]+$/.test(word) && KEYWORDS.has(word.toUpperCase())
        token = isKeyword ? { type: 'keyword', text: word.toUpperCase(), start: at } : continueDotted(at, at + word.length)
      } else if (operator !== undefined) {
        token = { type: 'operator', text: operator, start: at }
      } else if (char === '(' || char === ')' || char === ',') {
        token = { type: 'punctuation', text: char, start: at }
      } else if (char === ';') {
        fail(`only one statement is allowed: remove the ';' at character ${at + 1}`)
      } else {
        fail(`unexpected character '${char}' at character ${at + 1}`)
      }
    }
    tokens.push(token)
    at = token.start + token.text.length
  }
  return tokens
}
