import { createHash } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestServer, type BackendName, type TestServer } from '../support/backends'
import { client } from '../support/http'

/** MLflow's REST API as MLflow's own Python client speaks it (mlflow/utils/rest_utils.py). */

export const API = '/api/2.0/mlflow'
export const AJAX = '/ajax-api/2.0/mlflow'
export const ARTIFACTS = '/api/2.0/mlflow-artifacts'

export type QueryValue = string | number | boolean | (string | number)[] | undefined

export interface MlflowResponse<T = any> {
  status: number
  headers: Headers
  body: T
}

/** One request/response pair, kept so a file can check every answer it received. */
export interface Exchange {
  method: string
  path: string
  status: number
  contentType: string
  body: unknown
}

/** Query string as `requests` builds it from `params=`: lists become repeated keys, unset fields are left out. */
export function queryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

/** An artifact path in a URL, each segment escaped. */
export const artifactUrlPath = (path: string) => path.split('/').map(encodeURIComponent).join('/')

export const sha256 = (bytes: Uint8Array | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

/** The text of an MLflow page token, which MLflow builds as base64 of Python's `json.dumps({"offset": N})`. */
export const pageTokenText = (token: string) => Buffer.from(token, 'base64').toString('utf8')

export function mlflowHttp(baseUrl: string) {
  const exchanges: Exchange[] = []

  async function send<T = any>(method: string, path: string, init: { json?: unknown; body?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<MlflowResponse<T>> {
    const headers: Record<string, string> = { 'user-agent': 'mlflow-python-client/2.17.0', ...init.headers }
    let body = init.body
    if (init.json !== undefined) {
      body = JSON.stringify(init.json)
      headers['content-type'] ??= 'application/json'
    }
    const response = await fetch(baseUrl + path, { method, headers, body })
    const contentType = response.headers.get('content-type') ?? ''
    const text = await response.text()
    let parsed: unknown = text
    if (contentType.includes('json')) {
      try {
        parsed = JSON.parse(text)
      } catch {
        // kept as text: the discipline checks report it
      }
    }
    exchanges.push({ method, path, status: response.status, contentType, body: parsed })
    return { status: response.status, headers: response.headers, body: parsed as T }
  }

  /** GET fields travel in the query string; every other method sends them as a JSON body, DELETE included. */
  const face = (prefix: string) => ({
    get: <T = any>(endpoint: string, query?: Record<string, QueryValue>) => send<T>('GET', prefix + endpoint + queryString(query)),
    post: <T = any>(endpoint: string, body: unknown = {}) => send<T>('POST', prefix + endpoint, { json: body }),
    patch: <T = any>(endpoint: string, body: unknown = {}) => send<T>('PATCH', prefix + endpoint, { json: body }),
    delete: <T = any>(endpoint: string, body: unknown = {}) => send<T>('DELETE', prefix + endpoint, { json: body }),
  })

  const artifacts = (prefix: string) => ({
    upload: (path: string, bytes: Uint8Array | string, contentType = 'application/octet-stream') =>
      send('PUT', `${prefix}/artifacts/${artifactUrlPath(path)}`, { body: typeof bytes === 'string' ? bytes : Buffer.from(bytes), headers: { 'content-type': contentType } }),
    list: (path?: string) => send('GET', `${prefix}/artifacts${queryString({ path })}`),
    remove: (path: string) => send('DELETE', `${prefix}/artifacts/${artifactUrlPath(path)}`),
    /** Downloads one file as bytes; error answers are recorded like any other exchange. */
    async download(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; bytes: Buffer; body: any }> {
      const url = `${prefix}/artifacts/${artifactUrlPath(path)}`
      const response = await fetch(baseUrl + url, { headers })
      const bytes = Buffer.from(await response.arrayBuffer())
      const contentType = response.headers.get('content-type') ?? ''
      let body: unknown = bytes
      if (contentType.includes('json')) body = JSON.parse(bytes.toString('utf8'))
      exchanges.push({ method: 'GET', path: url, status: response.status, contentType, body: response.ok ? undefined : body })
      return { status: response.status, headers: response.headers, bytes, body }
    },
  })

  return {
    ...face(API),
    ajax: face(AJAX),
    artifacts: { ...artifacts(ARTIFACTS), ajax: artifacts(`/ajax-api/2.0/mlflow-artifacts`) },
    /** any method and path from the server root, for requests MLflow's client never makes */
    send,
    /** a path sent byte for byte, without the URL normalisation fetch applies (`..` segments survive) */
    rawPath: (method: string, path: string) =>
      new Promise<{ status: number; body: any }>((resolve, reject) => {
        const url = new URL(baseUrl)
        const req = httpRequest({ host: url.hostname, port: url.port, method, path }, (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => (text += chunk))
          res.on('end', () => {
            const body: unknown = (res.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text
            exchanges.push({ method, path, status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', body })
            resolve({ status: res.statusCode ?? 0, body })
          })
        })
        req.on('error', reject)
        req.end()
      }),
    /** Canon's native API on the same server */
    native: client(baseUrl),
    exchanges,
  }
}

export type MlflowHttp = ReturnType<typeof mlflowHttp>

/**
 * A real Canon server for one backend, started before the file's tests and stopped after them.
 * The getters are read inside tests, once beforeAll has run.
 */
export function useCanonServer(backend: BackendName): { readonly mlflow: MlflowHttp; readonly server: TestServer } {
  let server: TestServer | undefined
  let mlflow: MlflowHttp | undefined
  beforeAll(async () => {
    server = await startTestServer(backend)
    mlflow = mlflowHttp(server.url)
  })
  afterAll(async () => server?.stop())
  return {
    get mlflow() {
      if (!mlflow) throw new Error('the test server has not started')
      return mlflow
    },
    get server() {
      if (!server) throw new Error('the test server has not started')
      return server
    },
  }
}

/** Where a JSON value holds a null or an empty list, which MLflow never sends (it omits unset and empty fields). */
export function nullsAndEmptyLists(value: unknown, at = '$'): string[] {
  if (value === null) return [at]
  if (Array.isArray(value)) return value.length === 0 ? [at] : value.flatMap((v, i) => nullsAndEmptyLists(v, `${at}[${i}]`))
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => nullsAndEmptyLists(v, `${at}.${k}`))
  return []
}

const isJsonRoute = (e: Exchange) =>
  e.path.startsWith(`${API}/`) || e.path.startsWith(`${AJAX}/`) || (e.path.includes('/mlflow-artifacts/') && !(e.method === 'GET' && e.status < 300 && /\/artifacts\/./.test(e.path)))

const isPlainObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The closing test of a file: across every request the file made, no answer was a server error, every MLflow JSON
 * route answered a JSON object, and no answer held a null or an empty list.
 */
export function itAnsweredLikeMlflowThroughout(canon: { readonly mlflow: MlflowHttp }) {
  it('answered every request in this file without a 5xx, with a JSON object, and never with nulls or empty lists', () => {
    const exchanges = canon.mlflow.exchanges
    expect(exchanges.length).toBeGreaterThan(0)
    const serverErrors = exchanges.filter((e) => e.status >= 500).map((e) => `${e.method} ${e.path} → ${e.status} ${JSON.stringify(e.body)}`)
    expect(serverErrors).toEqual([])
    const notObjects = exchanges.filter((e) => isJsonRoute(e) && !(e.contentType.includes('application/json') && isPlainObject(e.body)))
    expect(notObjects.map((e) => `${e.method} ${e.path} → ${e.status} ${e.contentType} ${String(e.body).slice(0, 80)}`)).toEqual([])
    const holes = exchanges.filter(isJsonRoute).flatMap((e) => nullsAndEmptyLists(e.body).map((where) => `${e.method} ${e.path}: ${where}`))
    expect(holes).toEqual([])
  })
}

/** Asserts MLflow's error shape: exactly `error_code` and `message`, with the status MLflow sends for that code. */
export function expectMlflowError(response: MlflowResponse, status: number, errorCode: string, messageFragment?: string) {
  expect({ status: response.status, error_code: response.body?.error_code }).toEqual({ status, error_code: errorCode })
  expect(Object.keys(response.body).sort()).toEqual(['error_code', 'message'])
  expect(typeof response.body.message).toBe('string')
  if (messageFragment !== undefined) expect(response.body.message).toContain(messageFragment)
}

/** Runs MLflow's client would start: `POST runs/create` in an experiment, with the tags the Python client adds. */
export async function createRun(mlflow: MlflowHttp, experimentId = '0', extra: Record<string, unknown> = {}): Promise<{ runId: string; artifactUri: string; info: any }> {
  const response = await mlflow.post('/runs/create', {
    experiment_id: experimentId,
    user_id: 'ana',
    start_time: 1_700_000_000_000,
    tags: [
      { key: 'mlflow.user', value: 'ana' },
      { key: 'mlflow.source.type', value: 'LOCAL' },
    ],
    ...extra,
  })
  expect(response.status).toBe(200)
  const info = response.body.run.info
  return { runId: info.run_id, artifactUri: info.artifact_uri, info }
}

/** The path inside `mlflow-artifacts:` of a run's artifact root, e.g. `0/<run_id>/artifacts`. */
export const proxiedRoot = (artifactUri: string) => artifactUri.replace(/^mlflow-artifacts:\/*/, '')

/** Uploads files under a run's artifact directory as `log_artifacts` does: one PUT per file. */
export async function logArtifacts(mlflow: MlflowHttp, artifactUri: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [path, bytes] of Object.entries(files)) {
    const response = await mlflow.artifacts.upload(`${proxiedRoot(artifactUri)}/${path}`, bytes)
    expect(response.status).toBe(200)
  }
}

/** A model as an sklearn `log_model` would leave it: a few files under `model/`, one in a sub-directory. */
export const modelFiles = (seed: string) => ({
  'model/MLmodel': `artifact_path: model\nflavors: {}\nseed: ${seed}\n`,
  'model/model.pkl': Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7 + seed.length) % 256)),
  'model/data/weights.bin': `weights for ${seed}`,
})
