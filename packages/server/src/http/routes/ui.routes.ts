import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fastifyStatic from '@fastify/static'
import { allow } from '../permission-rules'

/** Where `npm install` (the root `prepare` script) builds the web UI: packages/ui/dist. */
export const defaultUiDir = fileURLToPath(new URL('../../../../ui/dist/', import.meta.url))

// hash-wasm hashes uploads in WebAssembly, hence 'wasm-unsafe-eval' (which allows no JavaScript eval).
// The page itself is public: it holds no data, and signs in with a token before it asks the API for any.
const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
}

const notBuilt = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Canon</title></head><body>
<h1>Canon</h1><p>The web UI is not built. Run <code>npm install</code> (or <code>npm run build -w packages/ui</code>) in the
Canon directory, then reload. The API is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></body></html>`

export interface UiOptions {
  uiDir: string
  authEnabled: boolean
}

/**
 * Sends the UI's index.html (read per request, so a rebuild needs no restart), or a page saying how to build it. The page
 * learns whether auth is on from a meta tag, so it asks for a token before its first API call instead of after a 401.
 */
export async function sendUiPage(reply: FastifyReply, { uiDir, authEnabled }: UiOptions): Promise<FastifyReply> {
  const html = await readFile(`${uiDir}/index.html`, 'utf8').catch(() => notBuilt)
  return reply
    .status(200)
    .headers(pageHeaders)
    .send(html.replace('<head>', `<head><meta name="canon-auth" content="${authEnabled ? 'on' : 'off'}">`))
}

// Paths that belong to the APIs, the probes or the assets keep their JSON 404s; every other GET is a page of the UI.
const NOT_PAGES = /^\/((ajax-)?api|assets|healthz|readyz|health|version)(\/|$)/

/** A browser navigating to one of the UI's own URLs (/models/churn/versions/3): any GET outside the APIs. */
export function isUiPageRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false
  return !NOT_PAGES.test(request.url.split('?')[0] ?? '')
}

/** `/` and the built assets (content-hashed names, so cached for a year); other UI paths fall back to index.html. */
export const uiRoutes: FastifyPluginAsync<UiOptions> = async (app, options) => {
  await app.register(fastifyStatic, { root: options.uiDir, serve: false, suppressWarning: true })
  app.get('/', { config: allow.public, schema: { hide: true } }, (_request, reply) => sendUiPage(reply, options))
  app.get<{ Params: { '*': string } }>('/assets/*', { config: allow.public, schema: { hide: true } }, (request, reply) => {
    const file = request.params['*']
    // a path that climbs out of assets/ names no asset (send would refuse it too, as a bare 403)
    if (file.split(/[\\/]/).some((segment) => segment === '..' || segment === '.')) return reply.callNotFound()
    return reply.sendFile(`assets/${file}`, { maxAge: '365d', immutable: true, dotfiles: 'deny' })
  })
}
