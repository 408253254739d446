// Mirrors the server's one permission rule (packages/server/src/domain/permissions.ts), only to decide which controls to
// offer: the server still checks every request.

export type Action = 'read' | 'write' | 'approve' | 'admin'

const actionsOf: Record<string, readonly Action[]> = {
  viewer: ['read'],
  editor: ['read', 'write'],
  approver: ['read', 'approve'],
  admin: ['read', 'write', 'approve', 'admin'],
}

function scopeCovers(scope: string, model: string): boolean {
  if (scope === '*') return true
  if (scope.endsWith('*')) return model.startsWith(scope.slice(0, -1))
  return scope === model
}

/** `model` undefined: may the caller do this to some model (e.g. show a "Register model" button)? */
export function can(grants: readonly { role: string; scope: string }[], action: Action, model?: string): boolean {
  return grants.some((g) => (actionsOf[g.role] ?? []).includes(action) && (model === undefined || scopeCovers(g.scope, model)))
}
