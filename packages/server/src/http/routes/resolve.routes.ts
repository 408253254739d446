import { allow, type ModelOf } from '../permission-rules'
import { parseModelUri } from '../../domain/model-uri'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorSchema, VersionSchema } from '@canon/api'
import { resolveUri } from '../../services/resolve.service'
import type { RouteOptions } from './route-deps'

// The model a URI names, so resolving is checked against that model; an unparsable URI is refused by the handler.
const fromUri: ModelOf = (request) => {
  try {
    return parseModelUri((request.query as { uri: string }).uri).model
  } catch {
    return 'anywhere'
  }
}

export const resolveRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.get(
    '/resolve',
    { config: { ...allow.read(fromUri), cache: 'url' }, schema: {
        tags: ['versions'],
        summary: 'Resolve models:/m/3, models:/m/Production, models:/m@alias, models:/m/latest, model://m/v3 or model://m@alias',
        querystring: Type.Object({ uri: Type.String({ minLength: 1, maxLength: 2048 }) }, { additionalProperties: false }),
        response: { 200: VersionSchema, '4xx': ErrorSchema, '5xx': ErrorSchema },
      },
    },
    async (request) => resolveUri(deps, request.query.uri),
  )
}
