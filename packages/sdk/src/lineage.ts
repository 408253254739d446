import type { Comparison, DatasetConsumers, Descendants, LineageGraph } from '@canon/api'
import { paths } from './paths'
import type { Transport } from './transport'

export interface ConsumersQuery {
  uri: string
  digest?: string
  /** only versions in this stage, e.g. 'Production' */
  stage?: string
  /** only versions that receive traffic from a deployment */
  serving?: boolean
  limit?: number
  cursor?: string
}

/** Where versions came from and where they went, and versions side by side. */
export class LineageApi {
  constructor(private readonly http: Transport) {}

  /** Upstream (run, experiment, datasets, code, environment, ancestors) and downstream (descendants, deployments) as nodes and edges. */
  graph(model: string, version: number, options: { depth?: number } = {}): Promise<LineageGraph> {
    return this.http.json('GET', `${paths.version(model, version)}/lineage`, { query: { depth: options.depth } })
  }

  /** Versions fine-tuned from this one, transitively up to `depth` generations. */
  descendants(model: string, version: number, options: { depth?: number } = {}): Promise<Descendants> {
    return this.http.json('GET', `${paths.version(model, version)}/descendants`, { query: { depth: options.depth } })
  }

  /** Versions trained on a dataset (any digest, or one); narrow to a stage or to versions serving traffic. */
  datasetConsumers(query: ConsumersQuery): Promise<DatasetConsumers> {
    return this.http.json('GET', '/api/v1/datasets/consumers', { query: { ...query } })
  }

  /** 2–10 versions side by side: metrics with deltas, params, datasets, code, environment and files. */
  compare(model: string, versions: number[]): Promise<Comparison> {
    return this.http.json('GET', `${paths.model(model)}/compare`, { query: { versions: versions.join(',') } })
  }
}
