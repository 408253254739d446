import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { DeleteDeploymentQuery, DeploymentHistoryEntrySchema, DeploymentSchema, ErrorSchema, ListDeploymentsQuery, PageSchema, PutDeploymentBody, RouteDecisionSchema, RouteQuery } from '@canon/api'
import { allow, anywhere, fromBodyModel } from '../permission-rules'
import { can, canSee, visibilityOf, type Action } from '../../domain/permissions'
import { CanonError } from '../../domain/errors'
import { deleteDeployment, deploymentHistory, deploymentNotFound, getDeployment, listDeployments, modelOfDeployment, putDeployment, routeRequest } from '../../services/deployments.service'
import type { RouteOptions } from './route-deps'

const tags = ['deployments']
const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema }
const DeploymentParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 256, description: 'Deployment name' }) })

export const deploymentRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  /** A deployment is as visible as its model: reading one the caller may not read looks missing; changing one it may not change is refused. */
  const checkDeployment = async (request: FastifyRequest, name: string, action: Action) => {
    const model = await modelOfDeployment(deps.store, name)
    if (model === undefined) throw deploymentNotFound(name)
    const grants = request.principal?.grants ?? []
    if (action === 'read' && !can(grants, 'read', model)) throw deploymentNotFound(name)
    if (action !== 'read' && !can(grants, action, model)) throw new CanonError('PERMISSION_DENIED', `${request.principal?.name ?? 'anonymous'} may not ${action} deployments of model '${model}'.`, { action, model })
  }

  app.get(
    '/deployments',
    { config: allow.read(anywhere), schema: { tags, summary: 'Deployments, by name; filter by model or environment', querystring: ListDeploymentsQuery, response: { 200: PageSchema(DeploymentSchema), ...errors } } },
    async (request) => {
      const page = await listDeployments(deps, request.query)
      const visibility = visibilityOf(request.principal?.grants ?? [])
      return { ...page, items: page.items.filter((d) => canSee(visibility, d.model)) }
    },
  )

  app.put(
    '/deployments/:name',
    { config: allow.write(fromBodyModel), schema: { tags, summary: 'Create a deployment or change its traffic split, status or environment', params: DeploymentParams, body: PutDeploymentBody, response: { 200: DeploymentSchema, ...errors } } },
    async (request) => putDeployment(deps, request.actor, request.params.name, request.body),
  )

  app.get('/deployments/:name', { config: allow.read(anywhere), schema: { tags, summary: 'A deployment and its current split', params: DeploymentParams, response: { 200: DeploymentSchema, ...errors } } }, async (request) => {
    await checkDeployment(request, request.params.name, 'read')
    return getDeployment(deps, request.params.name)
  })

  app.get(
    '/deployments/:name/history',
    {
      config: allow.read(anywhere),
      schema: { tags, summary: 'Every revision of a deployment, newest first', params: DeploymentParams, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), cursor: Type.Optional(Type.String({ maxLength: 2048 })) }, { additionalProperties: false }), response: { 200: PageSchema(DeploymentHistoryEntrySchema), ...errors } },
    },
    async (request) => {
      const history = await deploymentHistory(deps, request.params.name, request.query)
      if (history.items[0] && !can(request.principal?.grants ?? [], 'read', history.items[0].model)) throw deploymentNotFound(request.params.name)
      return history
    },
  )

  app.get(
    '/deployments/:name/route',
    { config: allow.read(anywhere), schema: { tags, summary: 'The version that serves a request key (sticky, hash-based)', params: DeploymentParams, querystring: RouteQuery, response: { 200: RouteDecisionSchema, ...errors } } },
    async (request) => {
      await checkDeployment(request, request.params.name, 'read')
      return routeRequest(deps, request.params.name, request.query.key)
    },
  )

  app.delete(
    '/deployments/:name',
    { config: allow.write(anywhere), schema: { tags, summary: 'Delete a deployment (its history stays)', params: DeploymentParams, querystring: DeleteDeploymentQuery, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await checkDeployment(request, request.params.name, 'write')
      await deleteDeployment(deps, request.actor, request.params.name, request.query.reason)
      return reply.status(204).send(null)
    },
  )
}
