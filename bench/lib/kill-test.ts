import { apiClient, forEachLimited } from './api-client'
import { modelName, versionBody, type SeedResult } from './seed'

export interface KillTestResult {
  /** creates the server answered 201 before it was killed */
  acknowledged: number
  /** of those, how many exist after the restart */
  found: number
  lost: string[]
  /** creates sent but unanswered when the server died (may or may not have committed; either is correct) */
  inFlight: number
  auditChainOk: boolean
  auditEvents: number
  restartSeconds: number
}

/**
 * Durability under SIGKILL: `workers` clients create versions as fast as they can; after `killAfterSeconds` the server is
 * killed mid-stream; once `restart()` brings it back on the same data, every acknowledged version must be there.
 */
export async function killTest(
  baseUrl: string,
  seeded: SeedResult,
  workers: number,
  killAfterSeconds: number,
  kill: () => Promise<void>,
  restart: () => Promise<string>,
): Promise<KillTestResult> {
  const api = apiClient(baseUrl)
  const acknowledged: { model: string; version: number }[] = []
  let inFlight = 0
  let stopped = false
  const body = versionBody(seeded.blobs, 1, 2)
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let n = w; !stopped; n += workers) {
      const model = modelName((n * 7919) % seeded.models)
      inFlight++
      try {
        const response = await api.call<{ version: number }>('POST', `/api/v1/models/${model}/versions`, body)
        if (response.status !== 201) throw new Error(`create answered ${response.status}: ${JSON.stringify(response.body)}`)
        acknowledged.push({ model, version: response.body.version })
      } catch (error) {
        if (!stopped) throw error
        return // the server is gone: this request was never acknowledged
      } finally {
        inFlight--
      }
    }
  })
  const killer = (async () => {
    await new Promise((resolve) => setTimeout(resolve, killAfterSeconds * 1000))
    stopped = true
    const unanswered = inFlight
    await kill()
    return unanswered
  })()
  const inFlightAtKill = await killer
  await Promise.all(loops)

  const restartStarted = performance.now()
  const newUrl = await restart()
  const restartSeconds = (performance.now() - restartStarted) / 1000
  const check = apiClient(newUrl)
  const lost: string[] = []
  let found = 0
  await forEachLimited(acknowledged.length, 8, async (i) => {
    const { model, version } = acknowledged[i] as { model: string; version: number }
    const response = await check.call('GET', `/api/v1/models/${model}/versions/${version}`)
    if (response.status === 200) found++
    else lost.push(`${model}/${version} (${response.status})`)
  })
  const audit = await check.expect<{ ok: boolean; events: number }>([200], 'GET', '/api/v1/audit/verify')
  return { acknowledged: acknowledged.length, found, lost, inFlight: inFlightAtKill, auditChainOk: audit.ok, auditEvents: audit.events, restartSeconds }
}
