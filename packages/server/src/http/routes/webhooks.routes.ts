import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CreateWebhookBody, ErrorSchema, ListDeliveriesQuery, UpdateWebhookBody, WebhookDeliverySchema, WebhookSchema } from '@canon/api'
import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, redeliver, testWebhook, updateWebhook } from '../../services/webhooks.service'
import { allow } from '../permission-rules'
import type { RouteOptions } from './route-deps'

const tags = ['webhooks']
const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema }
const webhook = Type.String({ minLength: 1, maxLength: 64, description: 'Webhook id' })
const WebhookParams = Type.Object({ webhook })
const DeliveryParams = Type.Object({ webhook, delivery: Type.String({ minLength: 1, maxLength: 64, description: 'Delivery id' }) })

// Admin only: a webhook sends what happens to models to a URL outside Canon, and its secret signs for Canon.
export const webhookRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.post(
    '/webhooks',
    { config: allow.admin(), schema: { tags, summary: 'Subscribe a URL to registry events; the answer shows the signing secret, once', body: CreateWebhookBody, response: { 201: WebhookSchema, ...errors } } },
    async (request, reply) => reply.status(201).send(await createWebhook(deps, request.actor, request.body)),
  )

  app.get(
    '/webhooks',
    { config: allow.admin(), schema: { tags, summary: 'Every webhook (native and MLflow-format)', response: { 200: Type.Object({ items: Type.Array(WebhookSchema) }), ...errors } } },
    async () => ({ items: await listWebhooks(deps) }),
  )

  app.get(
    '/webhooks/:webhook',
    { config: allow.admin(), schema: { tags, summary: 'A webhook (never its secret)', params: WebhookParams, response: { 200: WebhookSchema, ...errors } } },
    async (request) => getWebhook(deps, request.params.webhook),
  )

  app.patch(
    '/webhooks/:webhook',
    {
      config: allow.admin(),
      schema: { tags, summary: "Change a webhook: URL, events, model filter, status ('paused' stops new events), or rotate its secret", params: WebhookParams, body: UpdateWebhookBody, response: { 200: WebhookSchema, ...errors } },
    },
    async (request) => updateWebhook(deps, request.actor, request.params.webhook, request.body),
  )

  app.delete(
    '/webhooks/:webhook',
    { config: allow.admin(), schema: { tags, summary: 'Delete a webhook with its delivery history', params: WebhookParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await deleteWebhook(deps, request.actor, request.params.webhook)
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/webhooks/:webhook/deliveries',
    {
      config: allow.admin(),
      schema: { tags, summary: "A webhook's deliveries, newest first, each with every attempt made", params: WebhookParams, querystring: ListDeliveriesQuery, response: { 200: Type.Object({ items: Type.Array(WebhookDeliverySchema) }), ...errors } },
    },
    async (request) => ({ items: await listDeliveries(deps, request.params.webhook, request.query) }),
  )

  app.post(
    '/webhooks/:webhook/deliveries/:delivery/redeliver',
    {
      config: allow.admin(),
      schema: { tags, summary: 'Send a delivery that succeeded or failed again: same id and body, the next attempt number', params: DeliveryParams, response: { 200: WebhookDeliverySchema, ...errors } },
    },
    async (request) => redeliver(deps, request.actor, request.params.webhook, request.params.delivery),
  )

  app.post(
    '/webhooks/:webhook/test',
    { config: allow.admin(), schema: { tags, summary: "Send a signed 'webhook.test' event now, once, and answer with the recorded attempt", params: WebhookParams, response: { 200: WebhookDeliverySchema, ...errors } } },
    async (request) => (await testWebhook(deps, request.params.webhook)).delivery,
  )
}
