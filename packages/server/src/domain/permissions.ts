import { CanonError } from './errors'

export const Roles = ['viewer', 'editor', 'approver', 'admin'] as const
export type Role = (typeof Roles)[number]

/** read: see; write: create and change; approve: review requests and set approval status; admin: users, grants, policies, deletes, overrides */
export type Action = 'read' | 'write' | 'approve' | 'admin'

const actionsOf: Record<Role, readonly Action[]> = {
  viewer: ['read'],
  editor: ['read', 'write'],
  approver: ['read', 'approve'],
  admin: ['read', 'write', 'approve', 'admin'],
}

export interface Grant {
  role: Role
  /** '*' everything, 'churn' one model, 'fraud-*' every model whose name starts with 'fraud-' */
  scope: string
}

export function isRole(value: string): value is Role {
  return (Roles as readonly string[]).includes(value)
}

export function checkScope(scope: string): string {
  if (!scope || scope.length > 257 || (scope.includes('*') && (scope.indexOf('*') !== scope.length - 1))) {
    throw new CanonError('INVALID_INPUT', `Grant scope '${scope.slice(0, 100)}' is not valid: use '*', a model name, or a name prefix ending in '*' (e.g. 'fraud-*').`)
  }
  return scope
}

export function scopeCovers(scope: string, model: string): boolean {
  if (scope === '*') return true
  if (scope.endsWith('*')) return model.startsWith(scope.slice(0, -1))
  return scope === model
}

/**
 * The one permission rule. `model` names the model acted on; 'anywhere' asks whether any grant allows the action
 * (tracking data is not owned by a model); undefined asks for a global grant.
 */
export function can(grants: readonly Grant[], action: Action, model: string | 'anywhere' | undefined): boolean {
  return grants.some((g) => {
    if (!actionsOf[g.role].includes(action)) return false
    if (model === 'anywhere') return true
    if (model === undefined) return g.scope === '*'
    return scopeCovers(g.scope, model)
  })
}

/** Which models a principal may see: everything, or these names and prefixes. */
export type Visibility = { all: true } | { all: false; names: string[]; prefixes: string[] }

export function visibilityOf(grants: readonly Grant[]): Visibility {
  const readable = grants.filter((g) => actionsOf[g.role].includes('read'))
  if (readable.some((g) => g.scope === '*')) return { all: true }
  return {
    all: false,
    names: readable.filter((g) => !g.scope.endsWith('*')).map((g) => g.scope),
    prefixes: readable.filter((g) => g.scope.endsWith('*')).map((g) => g.scope.slice(0, -1)),
  }
}

export function canSee(visibility: Visibility, model: string): boolean {
  return visibility.all || visibility.names.includes(model) || visibility.prefixes.some((p) => model.startsWith(p))
}
