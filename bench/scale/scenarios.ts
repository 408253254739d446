import type { LoadSpec } from '../lib/load'
import { scaleModelName, TEAMS, VERSIONS_PER_MODEL } from './bulk-seed'

// Keys are visited in a scattered order (a stride coprime to the key count), so no run hammers one hot row.
const STRIDE = 7919
const q = encodeURIComponent

/** Model ids 1..models in a scattered order. */
const modelAt = (models: number) => (n: number) => scaleModelName(((n * STRIDE) % models) + 1)

/** The measured requests at one scale; `versions` is how many are seeded (a multiple of VERSIONS_PER_MODEL). */
export function scaleSpecs(baseUrl: string, versions: number): LoadSpec[] {
  const models = versions / VERSIONS_PER_MODEL
  const model = modelAt(models)
  const midCursor = Buffer.from(JSON.stringify({ o: 'desc', id: Math.floor(versions / 2) })).toString('base64url')
  return [
    { name: 'alias: resolve models:/<m>@champion', baseUrl, path: (n) => `/api/v1/resolve?uri=${q(`models:/${model(n)}@champion`)}` },
    {
      name: "search: tags.team = '<t>' AND metrics.val_auc > 0.9, limit 20",
      baseUrl,
      path: (n) => `/api/v1/versions?limit=20&filter=${q(`tags.team = '${TEAMS[n % TEAMS.length]}' AND metrics.val_auc > 0.9`)}`,
    },
    { name: 'model page: GET /models/<m>', baseUrl, path: (n) => `/api/v1/models/${q(model(n))}` },
    { name: 'model page: GET /models/<m>/versions?limit=50', baseUrl, path: (n) => `/api/v1/models/${q(model(n))}/versions?limit=50` },
    { name: 'list: GET /models?limit=100', baseUrl, path: () => '/api/v1/models?limit=100' },
    { name: 'list: GET /versions?limit=100', baseUrl, path: () => '/api/v1/versions?limit=100' },
    { name: 'list: GET /versions?limit=100, cursor mid-table', baseUrl, path: () => `/api/v1/versions?limit=100&cursor=${midCursor}` },
    { name: 'list: MLflow registered-models/search max_results=100', baseUrl, path: () => '/api/2.0/mlflow/registered-models/search?max_results=100' },
    { name: "list: MLflow model-versions/search name='<m>' max_results=100", baseUrl, path: (n) => `/api/2.0/mlflow/model-versions/search?max_results=100&filter=${q(`name='${model(n)}'`)}` },
  ]
}
