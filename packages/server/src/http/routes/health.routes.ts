import { allow } from '../permission-rules'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { ServiceDeps } from '../../services/context'

export const healthRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps; version: string }> = async (app, { deps, version }) => {
  app.get('/healthz', { config: allow.public, schema: { tags: ['health'], response: { 200: Type.Object({ status: Type.String(), version: Type.String() }) } } }, async () => ({ status: 'ok', version }))

  // Ready only while the metadata database answers: a load balancer stops routing here when it does not.
  app.get('/readyz', { config: allow.public, schema: { tags: ['health'] } }, async (_request, reply) => {
    try {
      await deps.store.ping()
      return { status: 'ready', database: deps.store.traits.name }
    } catch {
      return reply.status(503).send({ error: { code: 'DATABASE_UNAVAILABLE', message: 'The metadata database does not answer.' } })
    }
  })
}
