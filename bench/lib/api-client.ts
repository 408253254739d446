/** A small JSON client for the native API, used to seed data and to check it; not on any measured path. */
export interface ApiClient {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>
  /** like call, but throws unless the status is one of `expected` */
  expect<T = unknown>(expected: number[], method: string, path: string, body?: unknown): Promise<T>
}

export function apiClient(baseUrl: string): ApiClient {
  async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const init: RequestInit = { method }
    if (body !== undefined) {
      init.body = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)
      init.headers = { 'content-type': body instanceof Uint8Array ? 'application/octet-stream' : 'application/json' }
    }
    const response = await fetch(baseUrl + path, init)
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      // not JSON: keep the text for the error message
    }
    return { status: response.status, body: parsed as T }
  }
  return {
    call,
    async expect<T>(expected: number[], method: string, path: string, body?: unknown): Promise<T> {
      const response = await call<T>(method, path, body)
      if (!expected.includes(response.status)) {
        throw new Error(`${method} ${path} answered ${response.status}, expected ${expected.join('/')}: ${JSON.stringify(response.body).slice(0, 500)}`)
      }
      return response.body
    },
  }
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; rejects on the first failure. */
export async function forEachLimited(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
}
