import type { FastifyInstance } from 'fastify'
import type { ReadCache } from '../store/read-cache'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The answer to a GET depends only on the database and the URL ('url'), or also on who asks ('url-and-caller':
     * list endpoints that filter by the caller's grants). Such answers are served from the read cache.
     */
    cache?: 'url' | 'url-and-caller'
  }
  interface FastifyRequest {
    cacheSlot?: { key: string; token: string }
  }
}

/**
 * Serves cacheable GETs from the read cache and fills it with successful answers. Runs after the permission check,
 * so a cached answer is only ever given to a caller who may read it.
 */
export function registerResponseCache(app: FastifyInstance, cache: ReadCache): void {
  if (!cache.enabled) return
  app.decorateRequest('cacheSlot', undefined)
  app.addHook('preHandler', (request, reply, done) => {
    const mode = request.routeOptions.config.cache
    if (!mode || request.method !== 'GET') return done()
    const key = mode === 'url' ? request.url : `${request.url}\n${request.principal?.name ?? ''}`
    const found = cache.lookup(key)
    if (!found) return done()
    if (found.hit === undefined) {
      request.cacheSlot = { key, token: found.token }
      return done()
    }
    reply.header('content-type', 'application/json; charset=utf-8').send(found.hit)
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    const slot = request.cacheSlot
    if (slot && reply.statusCode === 200 && typeof payload === 'string') cache.store(slot.key, payload, slot.token)
    done(null, payload)
  })
}
