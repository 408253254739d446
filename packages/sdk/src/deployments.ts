import type { Deployment, DeploymentHistoryEntry, Page, PutDeploymentInput, RouteDecision } from '@canon/api'
import type { Transport } from './transport'

const path = (name: string) => `/api/v1/deployments/${encodeURIComponent(name)}`

/** Named deployments with a traffic split over versions of one model. */
export class DeploymentsApi {
  constructor(private readonly http: Transport) {}

  /** Creates the deployment or changes its split (`{5: 90, 6: 10}`, summing to 100), status or environment. */
  put(name: string, input: Omit<PutDeploymentInput, 'split'> & { split: Record<string | number, number> }): Promise<Deployment> {
    return this.http.json('PUT', path(name), { json: { ...input, split: Object.fromEntries(Object.entries(input.split).map(([v, w]) => [String(v), w])) } })
  }

  get(name: string): Promise<Deployment> {
    return this.http.json('GET', path(name))
  }

  list(query: { model?: string; environment?: string; limit?: number; cursor?: string } = {}): Promise<Page<Deployment>> {
    return this.http.json('GET', '/api/v1/deployments', { query: { ...query } })
  }

  history(name: string, query: { limit?: number; cursor?: string } = {}): Promise<Page<DeploymentHistoryEntry>> {
    return this.http.json('GET', `${path(name)}/history`, { query: { ...query } })
  }

  /** The version that serves the request with this key; the same key always gets the same version while the split stands. */
  route(name: string, key: string): Promise<RouteDecision> {
    return this.http.json('GET', `${path(name)}/route`, { query: { key } })
  }

  delete(name: string, options: { reason?: string } = {}): Promise<void> {
    return this.http.send('DELETE', path(name), { query: { reason: options.reason } })
  }
}
