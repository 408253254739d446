import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import {
  CancelRequestBody,
  CreateRequestBody,
  ErrorSchema,
  ListRequestsQuery,
  PolicyDocumentSchema,
  PromotionCheckQuery,
  PromotionCheckSchema,
  ReviewBody,
  RollbackBody,
  SetPolicyBody,
  TransitionRequestSchema,
  VersionSchema,
} from '@canon/api'
import { can } from '../../domain/permissions'
import { getPolicy, promotionCheck, setPolicy } from '../../services/policies.service'
import { cancelRequest, createRequest, getRequest, listRequests, reviewRequest, type Caller } from '../../services/requests.service'
import { rollback } from '../../services/rollback.service'
import { allow, anywhere, fromParam, type ModelOf } from '../permission-rules'
import { ModelParams, VersionParams } from './params'
import type { RouteOptions } from './route-deps'

const tags = ['governance']
const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema }
const PolicyParams = Type.Object({ scope: Type.String({ minLength: 1, maxLength: 256, description: "'*' for the global default, or a model name (URL-encoded)" }) })
const RequestParams = Type.Object({ request: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Request id' }) })

/** A policy's scope names the model it governs; '*' needs a global grant to change and any grant to read. */
const scopeToChange: ModelOf = (request) => {
  const scope = (request.params as { scope?: string }).scope
  return scope === '*' ? undefined : scope
}
const scopeToRead: ModelOf = (request) => {
  const scope = (request.params as { scope?: string }).scope
  return scope === '*' ? 'anywhere' : scope
}

/** Requests name their model in the database, not the path: the route lets any approver (or reader) in, the service checks the model. */
function callerOf(request: FastifyRequest): Caller {
  const grants = request.principal?.grants ?? []
  return { name: request.actor.name, may: (action, model) => can(grants, action, model), fourEyes: request.principal?.userId !== null }
}

const mayOverride = (request: FastifyRequest, model: string) => can(request.principal?.grants ?? [], 'admin', model)

export const governanceRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.get(
    '/policies/:scope',
    { config: allow.read(scopeToRead), schema: { tags, summary: "The promotion policy in force for a model ('*': the global default)", params: PolicyParams, response: { 200: PolicyDocumentSchema, ...errors } } },
    async (request) => getPolicy(deps, request.params.scope),
  )

  app.put(
    '/policies/:scope',
    { config: allow.admin(scopeToChange), schema: { tags, summary: "Set a model's promotion policy ('*': the global default); fields left out take their defaults", params: PolicyParams, body: SetPolicyBody, response: { 200: PolicyDocumentSchema, ...errors } } },
    async (request) => setPolicy(deps, request.actor, request.params.scope, request.body),
  )

  app.get(
    '/models/:model/versions/:version/promotion-check',
    {
      config: allow.read(fromParam),
      schema: { tags, summary: 'Dry run: every policy gate for moving this version to a stage (default Production) or an alias', params: VersionParams, querystring: PromotionCheckQuery, response: { 200: PromotionCheckSchema, ...errors } },
    },
    async (request) => promotionCheck(deps, request.params.model, request.params.version, request.query),
  )

  app.post(
    '/models/:model/versions/:version/requests',
    { config: allow.write(fromParam), schema: { tags, summary: 'Request a stage change or an alias move, for approvers to review', params: VersionParams, body: CreateRequestBody, response: { 201: TransitionRequestSchema, ...errors } } },
    async (request, reply) => reply.status(201).send(await createRequest(deps, request.actor, request.params.model, request.params.version, request.body)),
  )

  app.get(
    '/requests',
    { config: allow.read(anywhere), schema: { tags, summary: "Pending requests the caller may review (the inbox), or with mine=true the caller's own", querystring: ListRequestsQuery, response: { 200: Type.Object({ items: Type.Array(TransitionRequestSchema) }), ...errors } } },
    async (request) => listRequests(deps, callerOf(request), request.query),
  )

  app.get(
    '/requests/:request',
    { config: allow.read(anywhere), schema: { tags, summary: 'A transition request with its reviews', params: RequestParams, response: { 200: TransitionRequestSchema, ...errors } } },
    async (request) => getRequest(deps, callerOf(request), request.params.request),
  )

  app.post(
    '/requests/:request/reviews',
    {
      config: allow.approve(anywhere),
      schema: { tags, summary: 'Approve or reject a request (never one the caller made); the deciding approval applies the change', params: RequestParams, body: ReviewBody, response: { 200: TransitionRequestSchema, ...errors } },
    },
    async (request) => reviewRequest(deps, callerOf(request), request.params.request, request.body),
  )

  app.post(
    '/requests/:request/cancel',
    { config: allow.write(anywhere), schema: { tags, summary: 'Withdraw a pending request (its requester or an admin)', params: RequestParams, body: CancelRequestBody, response: { 200: TransitionRequestSchema, ...errors } } },
    async (request) => cancelRequest(deps, callerOf(request), request.params.request, request.body.reason),
  )

  app.post(
    '/models/:model/rollback',
    { config: allow.write(fromParam), schema: { tags, summary: 'Put the previous Production version back and archive the current one', params: ModelParams, body: RollbackBody, response: { 200: VersionSchema, ...errors } } },
    async (request) => rollback(deps, request.actor, request.params.model, request.body, { mayOverride: mayOverride(request, request.params.model) }),
  )
}
