import { createHash } from 'node:crypto'
import { request, type IncomingHttpHeaders } from 'node:http'
import { expect } from 'vitest'
import type { ErrorCode } from '@canon/api'

/** What a case sends. `path` goes on the wire verbatim (no URL normalisation), so `..` and `%00` reach the server as written. */
export interface WireRequest {
  method: string
  path: string
  /** serialised as JSON with Content-Type application/json */
  json?: unknown
  /** sent as-is; Content-Type is `contentType` if given */
  raw?: string | Uint8Array
  contentType?: string
  headers?: Record<string, string>
}

export interface WireResponse {
  status: number
  headers: IncomingHttpHeaders
  text: string
  /** the parsed body, or undefined when it is empty or not JSON */
  body: unknown
}

/** HTTP over loopback with node:http, which, unlike fetch, does not normalise `..` or `%2e%2e` out of a path. Remembers every answer. */
export class Wire {
  readonly answered: { request: string; status: number; text: string }[] = []
  private origin: URL

  constructor(baseUrl: string) {
    this.origin = new URL(baseUrl)
  }

  /** Points at a fresh server, keeping the record of what earlier ones answered. */
  retarget(baseUrl: string): void {
    this.origin = new URL(baseUrl)
  }

  send(req: WireRequest): Promise<WireResponse> {
    const headers: Record<string, string> = { ...req.headers }
    let payload: Buffer | undefined
    if (req.json !== undefined) {
      payload = Buffer.from(JSON.stringify(req.json))
      headers['content-type'] ??= req.contentType ?? 'application/json'
    } else if (req.raw !== undefined) {
      payload = Buffer.from(req.raw)
      if (req.contentType) headers['content-type'] = req.contentType
    }
    if (payload) headers['content-length'] = String(payload.length)
    return new Promise((resolve, reject) => {
      const outgoing = request({ host: this.origin.hostname, port: this.origin.port, method: req.method, path: req.path, headers }, (incoming) => {
        const chunks: Buffer[] = []
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
        incoming.on('error', reject)
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          const status = incoming.statusCode ?? 0
          this.answered.push({ request: `${req.method} ${req.path.slice(0, 200)}`, status, text: text.slice(0, 500) })
          resolve({ status, headers: incoming.headers, text, body: parseJson(text) })
        })
      })
      outgoing.on('error', reject)
      outgoing.end(payload)
    })
  }

  /** A request that must succeed (fixtures, state checks); returns the parsed body. */
  async ok<T>(method: string, path: string, json?: unknown): Promise<T> {
    const response = await this.send({ method, path, json })
    expect(response.status, `${method} ${path} → ${response.status} ${response.text}`).toBeLessThan(300)
    return response.body as T
  }

  /** Uploads bytes as a blob and returns their digest. */
  async upload(bytes: Uint8Array, digest = sha256(bytes)): Promise<string> {
    const response = await this.send({ method: 'PUT', path: `/api/v1/blobs/${digest}`, raw: bytes, contentType: 'application/octet-stream' })
    expect(response.status, `upload → ${response.status} ${response.text}`).toBeOneOf([200, 201])
    return digest
  }

  serverErrors(): { request: string; status: number; text: string }[] {
    return this.answered.filter((a) => a.status >= 500)
  }
}

export function sha256(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

function parseJson(text: string): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const STACK_TRACE_MARKERS = ['    at ', '.ts:', '.js:']

/**
 * The one error shape: `{"error": {"code", "message", "details"?}}`, as JSON, with the expected status and code,
 * a message a person can read and no stack trace anywhere in the body.
 */
export function expectError(response: WireResponse, status: number, code: ErrorCode, request = ''): void {
  const error = (response.body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error
  const seen = `${request} → ${response.status} ${response.text.slice(0, 400)}`
  expect({ status: response.status, code: error?.code }, seen).toEqual({ status, code })
  expect(response.headers['content-type'], seen).toMatch(/^application\/json/)
  expect(Object.keys(response.body as object), seen).toEqual(['error'])
  expect(Object.keys(error ?? {}).filter((k) => !['code', 'message', 'details'].includes(k)), seen).toEqual([])
  expect(typeof error?.message === 'string' && error.message.trim().length > 0, `message must be non-empty: ${seen}`).toBe(true)
  if (error?.details !== undefined) expect(error.details, seen).toBeTypeOf('object')
  for (const marker of STACK_TRACE_MARKERS) expect(response.text, `stack trace leaked: ${seen}`).not.toContain(marker)
}
