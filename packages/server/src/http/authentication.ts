import type { FastifyInstance, FastifyRequest } from 'fastify'
import { CanonError, notFound } from '../domain/errors'
import { can } from '../domain/permissions'
import { authenticate, type Principal } from '../services/identities.service'
import type { PermissionRule } from './permission-rules'
import type { ServiceDeps } from '../services/context'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
}

export interface AuthOptions {
  deps: ServiceDeps
  enabled: boolean
  localActor: string
}

/** The token a request presents: `Authorization: Bearer <token>`, or HTTP Basic whose password is the token (MLflow's clients). */
function presentedCredentials(request: FastifyRequest): { token: string; user?: string } | null {
  const header = request.headers.authorization
  if (!header) return null
  const [scheme, value = ''] = header.split(' ', 2)
  if (scheme?.toLowerCase() === 'bearer' && value) return { token: value.trim() }
  if (scheme?.toLowerCase() === 'basic' && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon >= 0) return { user: decoded.slice(0, colon), token: decoded.slice(colon + 1) }
  }
  throw new CanonError('UNAUTHENTICATED', "The Authorization header must be 'Bearer <token>' or HTTP Basic with the token as password.")
}

/**
 * Authenticates every request (or, with auth off, acts as the local user with every right), then checks the route's
 * permission rule: the one place permissions are decided.
 */
const unauthenticated = () => new CanonError('UNAUTHENTICATED', 'Sign in first: send Authorization: Bearer <token> (`canon login`).')

export interface RouteRule {
  method: string
  url: string
  rule: PermissionRule
}

export function registerAuth(app: FastifyInstance, options: AuthOptions): RouteRule[] {
  const routes: RouteRule[] = []
  const localPrincipal: Principal = { name: options.localActor, userId: null, grants: [{ role: 'admin', scope: '*' }] }
  app.decorateRequest('principal', null)
  app.decorateRequest('actor', {
    getter(this: FastifyRequest) {
      return { name: this.principal?.name ?? 'anonymous' }
    },
  })

  app.addHook('onRequest', async (request) => {
    if (!options.enabled) {
      request.principal = localPrincipal
      return
    }
    const credentials = presentedCredentials(request)
    if (credentials) {
      const principal = await authenticate(options.deps, credentials.token)
      if (credentials.user && credentials.user !== principal.name) {
        throw new CanonError('UNAUTHENTICATED', `The token belongs to '${principal.name}', not '${credentials.user.slice(0, 64)}'.`)
      }
      request.principal = principal
    }
    // Before the body is even read: an anonymous caller learns nothing from validation errors.
    if (!request.principal && !request.is404 && request.routeOptions.config.permission?.kind !== 'public') throw unauthenticated()
  })

  app.addHook('preHandler', async (request) => {
    if (request.is404) return
    const rule = request.routeOptions.config.permission
    if (!rule) throw new CanonError('PERMISSION_DENIED', 'This route has no permission rule.')
    if (rule.kind === 'public') return
    const principal = request.principal
    if (!principal) throw unauthenticated()
    if (rule.kind === 'authenticated') return
    for (const modelOf of rule.models) {
      const model = modelOf(request)
      if (can(principal.grants, rule.action, model)) continue
      // Reading a model one may not see looks exactly like reading one that does not exist; any other action is simply
      // refused, whether or not the model exists, so neither answer tells whether it does.
      if (rule.action === 'read' && typeof model === 'string' && model !== 'anywhere') throw notFound.model(model)
      throw new CanonError('PERMISSION_DENIED', `${principal.name} may not ${rule.action} ${model === undefined ? 'here (a global grant is needed)' : model === 'anywhere' ? 'here' : `model '${model}'`}.`, {
        action: rule.action,
        ...(typeof model === 'string' && model !== 'anywhere' && { model }),
      })
    }
  })

  // A route without a rule is a bug found at start-up, not a route open to everyone.
  app.addHook('onRoute', (route) => {
    if (!route.config?.permission) throw new Error(`Route ${String(route.method)} ${route.url} declares no permission rule`)
    for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url, rule: route.config.permission })
  })
  return routes
}
