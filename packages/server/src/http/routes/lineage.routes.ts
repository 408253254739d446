import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ComparisonSchema, CompareQuery, DatasetConsumersQuery, DatasetConsumersSchema, DescendantsSchema, ErrorSchema, LineageGraphSchema, LineageQuery } from '@canon/api'
import { allow, anywhere, fromParam } from '../permission-rules'
import { can, canSee, visibilityOf } from '../../domain/permissions'
import { datasetConsumers, descendants, lineageGraph } from '../../services/lineage.service'
import { compareVersions, parseVersionList } from '../../services/compare.service'
import type { RouteOptions } from './route-deps'
import { ModelParams, VersionParams } from './params'

const tags = ['lineage']
const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema }

export const lineageRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  const readable = (grants: Parameters<typeof can>[0]) => (model: string) => can(grants, 'read', model)

  app.get(
    '/models/:model/versions/:version/lineage',
    {
      config: allow.read(fromParam),
      schema: { tags, summary: "A version's lineage graph: run, experiment, datasets, code, environment and ancestors upstream; descendants and deployments downstream", params: VersionParams, querystring: LineageQuery, response: { 200: LineageGraphSchema, ...errors } },
    },
    async (request) => lineageGraph(deps, request.params.model, request.params.version, { depth: request.query.depth, canRead: readable(request.principal?.grants ?? []) }),
  )

  app.get(
    '/models/:model/versions/:version/descendants',
    { config: allow.read(fromParam), schema: { tags, summary: 'Versions fine-tuned from this one, transitively', params: VersionParams, querystring: LineageQuery, response: { 200: DescendantsSchema, ...errors } } },
    async (request) => {
      const found = await descendants(deps, request.params.model, request.params.version, request.query.depth)
      const canRead = readable(request.principal?.grants ?? [])
      return { ...found, items: found.items.filter((d) => canRead(d.model)) }
    },
  )

  app.get(
    '/datasets/consumers',
    { config: allow.read(anywhere), schema: { tags, summary: 'Versions trained on a dataset (any digest or one), optionally only in a stage or serving traffic', querystring: DatasetConsumersQuery, response: { 200: DatasetConsumersSchema, ...errors } } },
    async (request) => {
      const found = await datasetConsumers(deps, request.query)
      const visibility = visibilityOf(request.principal?.grants ?? [])
      return { ...found, items: found.items.filter((v) => canSee(visibility, v.model)) }
    },
  )

  app.get(
    '/models/:model/compare',
    { config: allow.read(fromParam), schema: { tags, summary: 'Compare 2–10 versions: metrics with deltas, params, datasets, code, environment and files', params: ModelParams, querystring: CompareQuery, response: { 200: ComparisonSchema, ...errors } } },
    async (request) => compareVersions(deps, request.params.model, parseVersionList(request.query.versions)),
  )
}
