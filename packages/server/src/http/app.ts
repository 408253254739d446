import Fastify, { LogController, type FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Logger } from 'pino'
import type { ServiceDeps } from '../services/context'
import { CanonError } from '../domain/errors'
import { sendError } from './error-mapping'
import { compileValidator, refuseNulCharacters } from './validation'
import { registerAuth, type RouteRule } from './authentication'
import { registerResponseCache } from './response-cache'
import { allow } from './permission-rules'
import { healthRoutes } from './routes/health.routes'
import { modelRoutes } from './routes/models.routes'
import { versionRoutes } from './routes/versions.routes'
import { aliasRoutes } from './routes/aliases.routes'
import { fileRoutes } from './routes/files.routes'
import { blobRoutes } from './routes/blobs.routes'
import { uploadRoutes } from './routes/uploads.routes'
import { resolveRoutes } from './routes/resolve.routes'
import { adminRoutes } from './routes/admin.routes'
import { identityRoutes } from './routes/identities.routes'
import { cardRoutes } from './routes/cards.routes'
import { governanceRoutes } from './routes/governance.routes'
import { lineageRoutes } from './routes/lineage.routes'
import { deploymentRoutes } from './routes/deployments.routes'
import { runRoutes } from './routes/runs.routes'
import { webhookRoutes } from './routes/webhooks.routes'
import { scheduleRoutes } from './routes/schedules.routes'
import { isMlflowPath, mlflowFace } from '../mlflow/mlflow-face'
import { sendMlflowError } from '../mlflow/errors'
import { randomUUID } from 'node:crypto'

declare module 'fastify' {
  interface FastifyRequest {
    actor: { name: string }
  }
  interface FastifyInstance {
    /** every route with its permission rule, for the route × role test */
    routeRules: RouteRule[]
  }
}

export interface AppOptions {
  deps: ServiceDeps
  logger: Logger
  localActor: string
  authEnabled: boolean
  version: string
}

export async function buildApp(options: AppOptions) {
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 2048 },
    // A path that is not valid percent-encoding never reaches a route: answer it in the face's own error shape.
    frameworkErrors: (error, request, reply) => (isMlflowPath(request.url) ? sendMlflowError(request, reply, error) : sendError(request, reply, error)),
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(compileValidator)
  // Only JSON (and raw bytes on blob routes): a text/plain body on a JSON route is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain')
  app.addHook('preValidation', refuseNulCharacters)

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Canon native API', version: options.version, description: 'The single source of truth for every model a team runs.' },
      servers: [{ url: '/' }],
    },
  })

  const routeRules = registerAuth(app as unknown as FastifyInstance, { deps: options.deps, enabled: options.authEnabled, localActor: options.localActor })
  registerResponseCache(app as unknown as FastifyInstance, options.deps.store.reads)

  // One log line per request, with its id, once the response is sent.
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request')
    done()
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id)
    done(null, payload)
  })

  app.setErrorHandler((error, request, reply) => sendError(request, reply, error))
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    // The usual cause: a model name with '/' sent unencoded.
    const hint = path.startsWith('/api/v1/models/') ? " Model names containing '/' must be URL-encoded (%2F) in paths." : ''
    return sendError(request, reply, new CanonError('ROUTE_NOT_FOUND', `No route ${request.method} ${path.slice(0, 300)}; the API is described at /api/v1/openapi.json.${hint}`))
  })

  const { deps } = options
  await app.register(healthRoutes, { deps, version: options.version })
  await app.register(
    async (v1) => {
      await v1.register(modelRoutes, { deps })
      await v1.register(versionRoutes, { deps })
      await v1.register(aliasRoutes, { deps })
      await v1.register(fileRoutes, { deps })
      await v1.register(blobRoutes, { deps })
      await v1.register(resolveRoutes, { deps })
      await v1.register(adminRoutes, { deps })
      await v1.register(identityRoutes, { deps, authEnabled: options.authEnabled })
      await v1.register(cardRoutes, { deps })
      await v1.register(governanceRoutes, { deps })
      await v1.register(lineageRoutes, { deps })
      await v1.register(deploymentRoutes, { deps })
      await v1.register(runRoutes, { deps })
      await v1.register(webhookRoutes, { deps })
      await v1.register(scheduleRoutes, { deps })
      await v1.register(uploadRoutes, { deps })
      v1.get('/openapi.json', { schema: { hide: true }, config: allow.public }, async () => app.swagger())
    },
    { prefix: '/api/v1' },
  )
  await app.register(mlflowFace, { deps })
  app.decorate('routeRules', routeRules)
  return app
}
