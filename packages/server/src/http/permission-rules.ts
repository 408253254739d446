import type { FastifyRequest } from 'fastify'
import type { Action } from '../domain/permissions'

/** Which model a request acts on: a model name, any model ('anywhere'), or none (needs a global grant). */
export type ModelOf = (request: FastifyRequest) => string | 'anywhere' | undefined

export type PermissionRule =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'action'; action: Action; models: ModelOf[] }

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: PermissionRule
  }
}

export const fromParam: ModelOf = (request) => (request.params as { model?: string }).model
export const fromBodyName: ModelOf = (request) => (request.body as { name?: unknown } | undefined)?.name as string | undefined
export const renameTarget: ModelOf = (request) => fromBodyName(request) ?? fromParam(request)
export const anywhere: ModelOf = () => 'anywhere'
export const globally: ModelOf = () => undefined

const action = (a: Action) => (...models: ModelOf[]) => ({ permission: { kind: 'action', action: a, models: models.length > 0 ? models : [globally] } as PermissionRule })

/** Route config helpers: `config: allow.write(fromParam)` */
export const allow = {
  public: { permission: { kind: 'public' } as PermissionRule },
  authenticated: { permission: { kind: 'authenticated' } as PermissionRule },
  read: action('read'),
  write: action('write'),
  approve: action('approve'),
  admin: action('admin'),
}

/** The `model` field of a JSON body (deployments name their model there). */
export const fromBodyModel: ModelOf = (request) => (request.body as { model?: unknown } | undefined)?.model as string | undefined
