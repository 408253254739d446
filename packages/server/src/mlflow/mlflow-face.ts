import { allow } from '../http/permission-rules'
import type { FastifyInstance } from 'fastify'
import type { ServiceDeps } from '../services/context'
import { CanonError } from '../domain/errors'
import { sendMlflowError } from './errors'
import { registryRoutes } from './registry.routes'
import { trackingRoutes } from './tracking.routes'
import { artifactRoutes } from './artifacts.routes'
import { webhookRoutes } from './webhooks.routes'

export const MLFLOW_COMPATIBLE_VERSION = '2.17.0'

/** True for a URL under one of the MLflow prefixes this face serves. */
export const isMlflowPath = (url: string) => /^\/(ajax-)?api\/2\.0\/mlflow(-artifacts)?(\/|\?|$)/.test(url)

/** MLflow's REST API as a second face over the same services: registry and tracking under both of MLflow's prefixes, plus proxied artifacts. */
export async function mlflowFace(app: FastifyInstance, { deps }: { deps: ServiceDeps }) {
  const scoped = (register: (scope: FastifyInstance, options: { deps: ServiceDeps }) => Promise<void>) => async (scope: FastifyInstance) => {
    // MLflow's API is documented by MLflow; the OpenAPI document describes Canon's native API only.
    scope.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true }
    })
    scope.setErrorHandler((error, request, reply) => sendMlflowError(request, reply, error))
    scope.setNotFoundHandler((request, reply) =>
      sendMlflowError(request, reply, new CanonError('ROUTE_NOT_FOUND', `No MLflow endpoint ${request.method} ${request.url.split('?')[0]?.slice(0, 300)}.`)),
    )
    await register(scope, { deps })
  }
  const api = scoped(async (scope) => {
    await scope.register(registryRoutes, { deps })
    await scope.register(trackingRoutes, { deps })
    await scope.register(webhookRoutes, { deps })
  })
  for (const prefix of ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow']) await app.register(api, { prefix })
  for (const prefix of ['/api/2.0/mlflow-artifacts', '/ajax-api/2.0/mlflow-artifacts']) await app.register(scoped(artifactRoutes), { prefix })

  app.get('/health', { schema: { hide: true }, config: allow.public }, async (_request, reply) => reply.type('text/plain').send('OK'))
  app.get('/version', { schema: { hide: true }, config: allow.public }, async (_request, reply) => reply.type('text/plain').send(MLFLOW_COMPATIBLE_VERSION))
}
