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
  app.addHook('preHandler', async (request, reply) => {
    const mode = request.routeOptions.config.cache
    if (!mode || request.method !== 'GET') return
    const key = mode === 'url' ? request.url : `${request.url}\n${request.principal?.name ?? ''}`
    const found = await cache.lookup(key)
    if (!found) return
    if (found.hit === undefined) {
      request.cacheSlot = { key, token: found.token }
      return
    }
    return reply.header('content-type', 'application/json; charset=utf-8').send(found.hit)
  })
  app.addHook('onSend', async (request, reply, payload) => {
    const slot = request.cacheSlot
    if (slot && reply.statusCode === 200 && typeof payload === 'string') await cache.store(slot.key, payload, slot.token)
    return payload
  })
}
