/** Small fetch helpers for tests that speak HTTP to a real server over loopback. */
export interface JsonResponse<T = any> {
  status: number
  headers: Headers
  body: T
}

export function client(baseUrl: string) {
  async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    const init: RequestInit = { method, headers: { ...headers } }
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body)
      ;(init.headers as Record<string, string>)['content-type'] ??= 'application/json'
    }
    const response = await fetch(baseUrl + path, init)
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T }
  }
  return {
    call,
    get: <T = any>(path: string) => call<T>('GET', path),
    post: <T = any>(path: string, body?: unknown) => call<T>('POST', path, body),
    put: <T = any>(path: string, body?: unknown) => call<T>('PUT', path, body),
    patch: <T = any>(path: string, body?: unknown) => call<T>('PATCH', path, body),
    delete: <T = any>(path: string) => call<T>('DELETE', path),
    /** uploads bytes as a blob and returns the manifest entry for them */
    async upload(path: string, bytes: Uint8Array): Promise<{ path: string; size: number; digest: string }> {
      const { createHash } = await import('node:crypto')
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
      const response = await fetch(`${baseUrl}/api/v1/blobs/${digest}`, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } })
      if (response.status !== 201 && response.status !== 200) throw new Error(`upload failed: ${response.status} ${await response.text()}`)
      return { path, size: bytes.length, digest }
    },
  }
}

export const enc = (name: string) => encodeURIComponent(name)
