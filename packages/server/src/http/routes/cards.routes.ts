import { allow, fromParam } from '../permission-rules'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CardSchema, ErrorSchema, SetCardBody } from '@canon/api'
import { exportCardMarkdown, getModelCard, getVersionCard, setModelCard, setVersionCard } from '../../services/cards.service'
import type { RouteOptions } from './route-deps'
import { ModelParams, VersionParams } from './params'

const tags = ['model cards']
const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema }
const markdown = { 200: { description: 'the card as a Markdown document', content: { 'text/markdown': { schema: Type.String() } } }, ...errors }
const MARKDOWN_TYPE = 'text/markdown; charset=utf-8'

export const cardRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.get('/models/:model/card', { config: allow.read(fromParam), schema: { tags, summary: "A model's card, with what it still lacks", params: ModelParams, response: { 200: CardSchema, ...errors } } }, async (request) =>
    getModelCard(deps, request.params.model),
  )

  app.put(
    '/models/:model/card',
    { config: allow.write(fromParam), schema: { tags, summary: "Replace a model's card (fields left out are stored empty)", params: ModelParams, body: SetCardBody, response: { 200: CardSchema, ...errors } } },
    async (request) => setModelCard(deps, request.actor, request.params.model, request.body),
  )

  app.get('/models/:model/card/export', { config: allow.read(fromParam), schema: { tags, summary: "A model's card as Markdown", params: ModelParams, response: markdown } }, async (request, reply) =>
    reply.type(MARKDOWN_TYPE).send(await exportCardMarkdown(deps, request.params.model)),
  )

  app.get(
    '/models/:model/versions/:version/card',
    { config: allow.read(fromParam), schema: { tags, summary: "A version's card; completeness counts the model card fields it falls back to", params: VersionParams, response: { 200: CardSchema, ...errors } } },
    async (request) => getVersionCard(deps, request.params.model, request.params.version),
  )

  app.put(
    '/models/:model/versions/:version/card',
    { config: allow.write(fromParam), schema: { tags, summary: "Replace a version's card (fields left out are stored empty, and read from the model card)", params: VersionParams, body: SetCardBody, response: { 200: CardSchema, ...errors } } },
    async (request) => setVersionCard(deps, request.actor, request.params.model, request.params.version, request.body),
  )

  app.get(
    '/models/:model/versions/:version/card/export',
    { config: allow.read(fromParam), schema: { tags, summary: "A version's card as Markdown, empty fields taken from the model card", params: VersionParams, response: markdown } },
    async (request, reply) => reply.type(MARKDOWN_TYPE).send(await exportCardMarkdown(deps, request.params.model, request.params.version)),
  )
}
