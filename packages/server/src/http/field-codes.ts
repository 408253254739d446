import type { ErrorCode } from '@canon/api'

// A malformed value in one of these fields earns the field's own code (as the domain check would), not plain INVALID_INPUT.
const FIELD_CODES: [RegExp, ErrorCode][] = [
  [/^body\.name$/, 'INVALID_NAME'],
  [/^(params\.\*|body\.files\.\d+\.path)$/, 'INVALID_PATH'],
  [/^(body\.files\.\d+\.digest|params\.digest|body\.digest)$/, 'INVALID_DIGEST'],
  [/^querystring\.uri$/, 'INVALID_URI'],
  [/^params\.alias$/, 'INVALID_ALIAS'],
  [/^querystring\.filter$/, 'INVALID_FILTER'],
]

export function codeOfField(field: string): ErrorCode | undefined {
  return FIELD_CODES.find(([pattern]) => pattern.test(field))?.[1]
}
