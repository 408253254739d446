import { allow, fromParam } from '../permission-rules'
import { can } from '../../domain/permissions'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorSchema, SetAliasBody, VersionSchema } from '@canon/api'
import { deleteAlias, getAliasVersion, listAliases, setAlias } from '../../services/aliases.service'
import type { RouteOptions } from './route-deps'
import { AliasParams, ModelParams } from './params'

const tags = ['aliases']
const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema }

export const aliasRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.get(
    '/models/:model/aliases',
    { config: { ...allow.read(fromParam), cache: 'url' }, schema: { tags, summary: "A model's aliases", params: ModelParams, response: { 200: Type.Object({ aliases: Type.Record(Type.String(), Type.Integer()) }), ...errors } } },
    async (request) => ({ aliases: await listAliases(deps, request.params.model) }),
  )

  app.put(
    '/models/:model/aliases/:alias',
    { config: allow.write(fromParam), schema: { tags, summary: 'Point an alias at a version (create or move)', params: AliasParams, body: SetAliasBody, response: { 200: VersionSchema, ...errors } } },
    async (request) =>
      setAlias(deps, request.actor, request.params.model, request.params.alias, request.body.version, {
        override: request.body.override,
        reason: request.body.reason,
        mayOverride: can(request.principal?.grants ?? [], 'admin', request.params.model),
      }),
  )

  app.get('/models/:model/aliases/:alias', { config: { ...allow.read(fromParam), cache: 'url' }, schema: { tags, summary: 'The version an alias points at', params: AliasParams, response: { 200: VersionSchema, ...errors } } }, async (request) =>
    getAliasVersion(deps, request.params.model, request.params.alias),
  )

  app.delete('/models/:model/aliases/:alias', { config: allow.write(fromParam), schema: { tags, summary: 'Delete an alias', params: AliasParams, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await deleteAlias(deps, request.actor, request.params.model, request.params.alias, { mayOverride: can(request.principal?.grants ?? [], 'admin', request.params.model) })
    return reply.status(204).send(null)
  })
}
