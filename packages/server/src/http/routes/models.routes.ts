import { allow, anywhere, fromBodyName, fromParam, renameTarget } from '../permission-rules'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CreateModelBody, ErrorSchema, ListModelsQuery, ModelSchema, PageSchema, SetTagBody, UpdateModelBody } from '@canon/api'
import { createModel, deleteModel, deleteModelTag, getModel, listModels, setModelTag, updateModel } from '../../services/models.service'
import type { RouteOptions } from './route-deps'
import { visibilityOf } from '../../domain/permissions'
import { ModelParams, TagParams } from './params'

const tags = ['models']
const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema }

export const modelRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.post('/models', { config: allow.write(fromBodyName), schema: { tags, summary: 'Register a model', body: CreateModelBody, response: { 201: ModelSchema, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await createModel(deps, request.actor, request.body)),
  )

  app.get('/models', { config: { ...allow.read(anywhere), cache: 'url-and-caller' }, schema: { tags, summary: 'List and search models', querystring: ListModelsQuery, response: { 200: PageSchema(ModelSchema), ...errors } } }, async (request) =>
    listModels(deps, request.query, visibilityOf(request.principal?.grants ?? [])),
  )

  app.get('/models/:model', { config: { ...allow.read(fromParam), cache: 'url' }, schema: { tags, summary: 'Get a model', params: ModelParams, response: { 200: ModelSchema, ...errors } } }, async (request) =>
    getModel(deps, request.params.model),
  )

  app.patch(
    '/models/:model',
    { config: allow.write(fromParam, renameTarget), schema: { tags, summary: 'Update the description or rename (versions, aliases and tags follow)', params: ModelParams, body: UpdateModelBody, response: { 200: ModelSchema, ...errors } } },
    async (request) => updateModel(deps, request.actor, request.params.model, request.body),
  )

  app.delete(
    '/models/:model',
    { config: allow.admin(fromParam), schema: { tags, summary: 'Delete a model and its versions (refused while a version is in Production)', params: ModelParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await deleteModel(deps, request.actor, request.params.model)
      return reply.status(204).send(null)
    },
  )

  app.put('/models/:model/tags/:key', { config: allow.write(fromParam), schema: { tags, summary: 'Set a model tag', params: TagParams, body: SetTagBody, response: { 200: ModelSchema, ...errors } } }, async (request) =>
    setModelTag(deps, request.actor, request.params.model, request.params.key, request.body.value),
  )

  app.delete('/models/:model/tags/:key', { config: allow.write(fromParam), schema: { tags, summary: 'Delete a model tag', params: TagParams, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await deleteModelTag(deps, request.actor, request.params.model, request.params.key)
    return reply.status(204).send(null)
  })
}
