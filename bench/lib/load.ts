import autocannon from 'autocannon'

/** One kind of request to put load on; `path(n)` gives the n-th request's path, so a run rotates over many keys. */
export interface LoadSpec {
  name: string
  baseUrl: string
  method?: 'GET' | 'POST'
  body?: string
  path: (n: number) => string
}

export interface LoadResult {
  name: string
  seconds: number
  responses: number
  reqPerSec: number
  p50Ms: number
  p99Ms: number
  p999Ms: number
  maxMs: number
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, number>
}

/** Runs `spec` for `seconds` over `connections` keep-alive connections (no pipelining) and measures every response. */
export async function runLoad(spec: LoadSpec, connections: number, seconds: number): Promise<LoadResult> {
  let n = 0
  const latencies: number[] = []
  let instance: autocannon.Instance | undefined
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: spec.baseUrl,
        connections,
        pipelining: 1,
        duration: seconds,
        requests: [
          {
            method: spec.method ?? 'GET',
            ...(spec.body !== undefined && { body: spec.body, headers: { 'content-type': 'application/json' } }),
            setupRequest: (request) => ({ ...request, path: spec.path(n++) }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    )
  })
  instance?.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime))
  const result = await finished
  latencies.sort((a, b) => a - b)
  const statusCodes: Record<string, number> = {}
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0
  return {
    name: spec.name,
    seconds: result.duration,
    responses: latencies.length,
    reqPerSec: result['2xx'] / result.duration,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    p999Ms: percentile(latencies, 0.999),
    maxMs: latencies.at(-1) ?? 0,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  }
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number
}
