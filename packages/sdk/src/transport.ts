import { CanonApiError, errorFromResponse, networkError } from './errors'

export type QueryValue = string | number | boolean | Date | undefined | null | readonly (string | number)[]

export interface RequestOptions {
  query?: Record<string, QueryValue>
  /** serialised as JSON */
  json?: unknown
  /** a raw body, streamed as given */
  body?: ReadableStream<Uint8Array> | Uint8Array
  headers?: Record<string, string>
  signal?: AbortSignal
  /** statuses that are answers rather than failures (e.g. 404 for HEAD) */
  accept?: number[]
}

export interface TransportOptions {
  url: string
  token?: string
  fetch?: typeof fetch
  userAgent?: string
}

/** The one place requests are built and failures become CanonApiError. */
export class Transport {
  readonly baseUrl: string
  private readonly token?: string
  private readonly fetchImpl: typeof fetch
  private readonly userAgent: string

  constructor(options: TransportOptions) {
    this.baseUrl = normaliseBaseUrl(options.url)
    this.token = options.token
    this.fetchImpl = options.fetch ?? globalThis.fetch
    this.userAgent = options.userAgent ?? 'canon-sdk/0.1.0'
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = this.baseUrl + path + queryString(options.query)
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...options.headers }
    if (this.token) headers.authorization = `Bearer ${this.token}`
    let body: RequestInit['body']
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.json)
    } else if (options.body !== undefined) {
      headers['content-type'] ??= 'application/octet-stream'
      // a Uint8Array is a valid body; the DOM typings narrow BodyInit to ArrayBuffer-backed views
      body = options.body as RequestInit['body']
    }
    const streaming = body instanceof ReadableStream
    let response: Response
    try {
      // duplex 'half' streams the body; redirect 'error' stops Node's fetch from keeping every sent chunk
      // in memory to replay it after a redirect (nodejs/undici#4058), so a multi-GB upload stays flat
      const init = { method, headers, body, signal: options.signal, ...(streaming && { duplex: 'half', redirect: 'error' }) }
      response = await this.fetchImpl(url, init as RequestInit)
    } catch (error) {
      if (isAbort(error)) throw error
      if (streaming && /redirect/.test(String((error as { cause?: unknown })?.cause))) {
        throw new CanonApiError(0, 'UNEXPECTED_RESPONSE', `${method} ${url.split('?')[0]} was redirected; uploads cannot follow redirects, so point --url / CANON_URL at the final address.`, { url })
      }
      throw networkError(error, url)
    }
    if (!response.ok && !options.accept?.includes(response.status)) throw await errorFromResponse(response, `${method} ${path.split('?')[0]}`)
    return response
  }

  async json<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    const response = await this.request(method, path, options)
    const text = await response.text()
    try {
      return JSON.parse(text) as T
    } catch {
      throw new CanonApiError(response.status, 'UNEXPECTED_RESPONSE', `${method} ${path} answered with something that is not JSON: ${text.slice(0, 200)}`)
    }
  }

  /** For endpoints that answer 204 No Content. */
  async send(method: string, path: string, options?: RequestOptions): Promise<void> {
    const response = await this.request(method, path, options)
    await response.body?.cancel()
  }
}

function normaliseBaseUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new CanonApiError(0, 'UNREACHABLE', `'${url}' is not a server URL; expected something like http://127.0.0.1:5000.`, { url })
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CanonApiError(0, 'UNREACHABLE', `'${url}' is not an http(s) URL; expected something like http://127.0.0.1:5000.`, { url })
  }
  return parsed.toString().replace(/\/+$/, '')
}

function queryString(query: RequestOptions['query']): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item))
    else params.append(key, value instanceof Date ? value.toISOString() : String(value))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

function isAbort(error: unknown): boolean {
  const name = (error as { name?: string })?.name
  return name === 'AbortError' || name === 'TimeoutError'
}
