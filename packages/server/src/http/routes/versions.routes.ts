import { allow, anywhere, fromParam } from '../permission-rules'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CreateVersionBody, ErrorSchema, ListVersionsQuery, PageSchema, SetApprovalBody, SetTagBody, TransitionSchema, TransitionStageBody, UpdateVersionBody, VersionSchema, VersionSummarySchema } from '@canon/api'
import { createVersion, deleteVersion, deleteVersionTag, getVersion, listTransitions, listVersions, setVersionTag, updateVersion } from '../../services/versions.service'
import { transitionStage } from '../../services/stages.service'
import { setApprovalStatus } from '../../services/approvals.service'
import type { RouteOptions } from './route-deps'
import { can, visibilityOf } from '../../domain/permissions'
import { ModelParams, VersionParams, VersionTagParams } from './params'

const tags = ['versions']
const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema }
const ModelVersionsQuery = Type.Omit(ListVersionsQuery, ['model'], { additionalProperties: false })

export const versionRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.post(
    '/models/:model/versions',
    { config: allow.write(fromParam), schema: { tags, summary: 'Create a version from a manifest of uploaded blobs', params: ModelParams, body: CreateVersionBody, response: { 201: VersionSchema, ...errors } } },
    async (request, reply) => reply.status(201).send(await createVersion(deps, request.actor, request.params.model, request.body)),
  )

  app.get(
    '/models/:model/versions',
    { config: { ...allow.read(fromParam), cache: 'url' }, schema: { tags, summary: "List a model's versions", params: ModelParams, querystring: ModelVersionsQuery, response: { 200: PageSchema(VersionSummarySchema), ...errors } } },
    async (request) => listVersions(deps, { ...request.query, model: request.params.model }),
  )

  app.get('/versions', { config: { ...allow.read(anywhere), cache: 'url-and-caller' }, schema: { tags, summary: 'Search versions across models', querystring: ListVersionsQuery, response: { 200: PageSchema(VersionSummarySchema), ...errors } } }, async (request) =>
    listVersions(deps, request.query, visibilityOf(request.principal?.grants ?? [])),
  )

  app.get('/models/:model/versions/:version', { config: { ...allow.read(fromParam), cache: 'url' }, schema: { tags, summary: 'Get a version with its manifest', params: VersionParams, response: { 200: VersionSchema, ...errors } } }, async (request) =>
    getVersion(deps, request.params.model, request.params.version),
  )

  app.patch(
    '/models/:model/versions/:version',
    { config: allow.write(fromParam), schema: { tags, summary: "Update a version's description (everything else is immutable)", params: VersionParams, body: UpdateVersionBody, response: { 200: VersionSchema, ...errors } } },
    async (request) => updateVersion(deps, request.actor, request.params.model, request.params.version, request.body.description),
  )

  app.delete(
    '/models/:model/versions/:version',
    { config: allow.admin(fromParam), schema: { tags, summary: 'Delete a version (refused while in Production); its number is never reused', params: VersionParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await deleteVersion(deps, request.actor, request.params.model, request.params.version)
      return reply.status(204).send(null)
    },
  )

  app.put(
    '/models/:model/versions/:version/tags/:key',
    { config: allow.write(fromParam), schema: { tags, summary: 'Set a version tag', params: VersionTagParams, body: SetTagBody, response: { 200: VersionSchema, ...errors } } },
    async (request) => setVersionTag(deps, request.actor, request.params.model, request.params.version, request.params.key, request.body.value),
  )

  app.delete(
    '/models/:model/versions/:version/tags/:key',
    { config: allow.write(fromParam), schema: { tags, summary: 'Delete a version tag', params: VersionTagParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await deleteVersionTag(deps, request.actor, request.params.model, request.params.version, request.params.key)
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/models/:model/versions/:version/stage',
    { config: allow.write(fromParam), schema: { tags, summary: 'Move a version to a stage', params: VersionParams, body: TransitionStageBody, response: { 200: VersionSchema, ...errors } } },
    async (request) =>
      transitionStage(deps, request.actor, request.params.model, request.params.version, request.body, { mayOverride: can(request.principal?.grants ?? [], 'admin', request.params.model) }),
  )

  app.post(
    '/models/:model/versions/:version/approval',
    {
      config: allow.approve(fromParam),
      schema: { tags, summary: 'Approve or reject a version (approvers; never the one who registered it when auth is on)', params: VersionParams, body: SetApprovalBody, response: { 200: VersionSchema, ...errors } },
    },
    async (request) => setApprovalStatus(deps, request.actor, request.params.model, request.params.version, request.body, { fourEyes: request.principal?.userId !== null }),
  )

  app.get(
    '/models/:model/versions/:version/transitions',
    { config: allow.read(fromParam), schema: { tags, summary: "A version's stage history: who, when, why", params: VersionParams, response: { 200: Type.Object({ items: Type.Array(TransitionSchema) }), ...errors } } },
    async (request) => ({ items: await listTransitions(deps, request.params.model, request.params.version) }),
  )
}
