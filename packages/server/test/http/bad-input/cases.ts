import type { ErrorCode } from '@canon/api'
import type { WireRequest } from './wire'

/** One bad request and the exact answer it must get. */
export interface BadRequest extends WireRequest {
  /** what a user would recognise, e.g. 'rejects a name longer than 256 characters' */
  behaviour: string
  status: number
  code: ErrorCode
  /** headers the error response must also carry */
  responseHeaders?: Record<string, string>
}

/** Everything this file throws at one operation of the OpenAPI document. */
export interface RouteCases {
  /** path parameters (unencoded, OpenAPI names) that name things which exist or, for creates, are free */
  params: Record<string, string>
  /** a JSON body the route accepts; present exactly when the operation takes a JSON body */
  body?: unknown
  /** the operation declares query parameters (so an unknown one must be refused) */
  query?: boolean
  /** a query string the route requires (e.g. 'role=viewer&scope=x'), sent with every generic case */
  requiredQuery?: string
  /** the route-specific cases; the generic ones come from `genericCases` */
  cases: BadRequest[]
}

/** 'METHOD /openapi/{path}' → its cases */
export type RouteTable = Record<string, RouteCases>

export const JSON_TYPE = 'application/json'
export const text = (length: number, fill = 'x') => fill.repeat(length)
/** A cursor as a client could forge one: base64url JSON, the shape the server's own cursors have. */
export const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** Fills an OpenAPI path template; '*' (the file path) is encoded per segment, everything else as one segment. */
export function fillPath(template: string, params: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`no sample value for {${name}} in ${template}`)
    return name === '*' ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value)
  })
}

export function splitOperation(operation: string): { method: string; template: string } {
  const [method = '', template = ''] = operation.split(' ')
  return { method, template }
}
