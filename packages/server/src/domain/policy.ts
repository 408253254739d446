import type { Gate, Policy } from '@canon/api'
import { CanonError } from './errors'
import { missingCardFields, type CardContent } from './model-card'

/** Nothing required: with no policy set anywhere, promotions behave as they always have. */
export const defaultPolicy: Policy = { requiredApprovals: 0, requiredTags: [], requiredMetrics: [], protectedAliases: [], requiredCardFields: [] }

export interface Candidate {
  version: number
  tags: Record<string, string>
  metrics: Record<string, number>
  /** the version's card with the model card as fallback */
  card?: Partial<CardContent>
}

export interface GateInput {
  policy: Policy
  candidate: Candidate
  /** the model's current Production version, if any */
  production: Candidate | undefined
  /** distinct approvers so far (never the requester); undefined for a direct change, which has none */
  approvals?: number
  /** approvals a request for this change needs */
  requiredApprovals: number
}

/** Approvals a change needs: the policy's number; a protected alias always needs at least one reviewer. */
export function approvalsNeeded(policy: Policy, change: { kind: 'stage' | 'alias'; target: string }): number {
  if (change.kind === 'alias' && policy.protectedAliases.includes(change.target)) return Math.max(1, policy.requiredApprovals)
  if (change.kind === 'stage' && change.target === 'Production') return policy.requiredApprovals
  return 0
}

/** Whether the policy governs this change at all: promotion to Production, or a move of a protected alias. */
export function isGoverned(policy: Policy, change: { kind: 'stage' | 'alias'; target: string }): boolean {
  return change.kind === 'stage' ? change.target === 'Production' : policy.protectedAliases.includes(change.target)
}

/** Every gate of the policy, by name, for one candidate version. Pure. */
export function evaluateGates(input: GateInput): Gate[] {
  const { policy, candidate, production } = input
  const gates: Gate[] = []
  const have = input.approvals ?? 0
  gates.push({
    gate: 'approvals',
    passed: have >= input.requiredApprovals,
    detail: input.requiredApprovals === 0 ? 'no approvals required' : `${have} of ${input.requiredApprovals} distinct approvals (never the requester)`,
  })
  for (const tag of policy.requiredTags) {
    const value = candidate.tags[tag]
    gates.push({ gate: `tag:${tag}`, passed: value !== undefined, detail: value === undefined ? `version ${candidate.version} has no tag '${tag}'` : `${tag}=${value}` })
  }
  for (const rule of policy.requiredMetrics) gates.push(metricGate(rule, candidate, production))
  if (policy.requiredCardFields.length > 0) {
    const missing = missingCardFields(candidate.card ?? {}, policy.requiredCardFields)
    gates.push({ gate: 'card', passed: missing.length === 0, detail: missing.length === 0 ? 'model card complete' : `model card is missing: ${missing.join(', ')}` })
  }
  return gates
}

function metricGate(rule: Policy['requiredMetrics'][number], candidate: Candidate, production: Candidate | undefined): Gate {
  const gate = `metric:${rule.name}`
  const value = candidate.metrics[rule.name]
  if (value === undefined) return { gate, passed: false, detail: `version ${candidate.version} has no metric '${rule.name}'` }
  if (!production || production.version === candidate.version) return { gate, passed: true, detail: `${rule.name}=${value}; no other Production version to compare with` }
  const baseline = production.metrics[rule.name]
  if (baseline === undefined) return { gate, passed: true, detail: `${rule.name}=${value}; Production version ${production.version} has no '${rule.name}' to compare with` }
  const bound = rule.higherIsBetter ? baseline - rule.tolerance : baseline + rule.tolerance
  const passed = rule.higherIsBetter ? value >= bound : value <= bound
  const op = rule.higherIsBetter ? '>=' : '<='
  return { gate, passed, detail: `${rule.name}=${value} ${passed ? '' : 'not '}${op} ${bound} (Production version ${production.version}: ${baseline}, tolerance ${rule.tolerance})` }
}

export const failing = (gates: Gate[]) => gates.filter((g) => !g.passed).map((g) => g.gate)

/** A stored or submitted policy, checked and completed with defaults. */
export function normalisePolicy(input: Partial<Policy>): Policy {
  const policy: Policy = {
    requiredApprovals: input.requiredApprovals ?? 0,
    requiredTags: [...new Set(input.requiredTags ?? [])],
    requiredMetrics: input.requiredMetrics ?? [],
    protectedAliases: [...new Set(input.protectedAliases ?? [])],
    requiredCardFields: [...new Set(input.requiredCardFields ?? [])],
  }
  const names = policy.requiredMetrics.map((m) => m.name)
  if (new Set(names).size !== names.length) throw new CanonError('INVALID_INPUT', 'A policy names each required metric once.', { metrics: names })
  if (policy.requiredMetrics.some((m) => !Number.isFinite(m.tolerance))) throw new CanonError('INVALID_INPUT', 'A metric tolerance must be a finite number.')
  return policy
}

/** '*' (the global default) or one model's name. */
export function checkPolicyScope(scope: string): string {
  if (scope !== '*' && scope.includes('*')) {
    throw new CanonError('INVALID_INPUT', `Policy scope '${scope.slice(0, 100)}' is not valid: use '*' for the global default or a model name.`)
  }
  return scope
}
