import type { Gate, Policy, PolicyDocument, PromotionCheck, SetPolicyInput } from '@canon/api'
import { CanonError } from '../domain/errors'
import { effectiveVersionCard } from './cards.service'
import { approvalsNeeded, checkPolicyScope, defaultPolicy, evaluateGates, failing, isGoverned, normalisePolicy, type Candidate } from '../domain/policy'
import { parseStage } from '../domain/stages'
import { checkAlias } from '../domain/validation'
import type { Repos } from '../store/metadata-store'
import type { VersionListRow } from '../store/versions.repo'
import type { Actor, ServiceDeps } from './context'
import { findVersionRow } from './versions.service'

const iso = (ms: number) => new Date(Number(ms)).toISOString()

export type Change = { kind: 'stage' | 'alias'; target: string }

/** The policy that applies to a model: its own, else the global '*' one, else the built-in default (nothing required). */
export async function effectivePolicy(repos: Repos, modelName: string): Promise<{ policy: Policy; source: PolicyDocument['source']; row?: { updated_at: number; updated_by: string } }> {
  const own = modelName === '*' ? undefined : await repos.requests.policy(modelName)
  if (own) return { policy: normalisePolicy(JSON.parse(own.body) as Partial<Policy>), source: 'scope', row: own }
  const global = await repos.requests.policy('*')
  if (global) return { policy: normalisePolicy(JSON.parse(global.body) as Partial<Policy>), source: modelName === '*' ? 'scope' : 'global', row: global }
  return { policy: defaultPolicy, source: 'default' }
}

export async function getPolicy(deps: Pick<ServiceDeps, 'store'>, scope: string): Promise<PolicyDocument> {
  checkPolicyScope(scope)
  if (scope !== '*' && !(await deps.store.models.byName(scope))) throw new CanonError('MODEL_NOT_FOUND', `Registered model '${scope}' does not exist.`, { model: scope })
  const found = await effectivePolicy(deps.store, scope)
  return { scope, source: found.source, policy: found.policy, updatedAt: found.row ? iso(found.row.updated_at) : null, updatedBy: found.row?.updated_by ?? null }
}

/** Replaces the policy of one scope ('*' or a model name); fields left out take their defaults. */
export async function setPolicy(deps: ServiceDeps, actor: Actor, scope: string, input: SetPolicyInput): Promise<PolicyDocument> {
  checkPolicyScope(scope)
  const policy = normalisePolicy(input)
  for (const alias of policy.protectedAliases) checkAlias(alias)
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    if (scope !== '*') {
      const model = await tx.models.lockByName(scope)
      if (!model) throw new CanonError('MODEL_NOT_FOUND', `Registered model '${scope}' does not exist; a policy applies to '*' or to an existing model.`, { model: scope })
    }
    const before = await tx.requests.policy(scope)
    await tx.requests.setPolicy(scope, JSON.stringify(policy), at, actor.name)
    await tx.audit.append({ at, actor: actor.name, action: 'policy.set', target: `policy:${scope}`, before: before ? JSON.parse(before.body) : undefined, after: policy })
  })
  return getPolicy(deps, scope)
}

export async function candidateOf(repos: Repos, row: VersionListRow): Promise<Candidate> {
  const [details, card] = await Promise.all([repos.versions.details([row.id]), effectiveVersionCard(repos, Number(row.model_id), Number(row.id))])
  return { version: Number(row.version), tags: details.tags.get(Number(row.id)) ?? {}, metrics: details.metrics.get(Number(row.id)) ?? {}, card }
}

/** Every gate of the model's policy for moving `row` as `change`, with `approvals` distinct approvals so far. */
export async function gatesFor(repos: Repos, modelName: string, row: VersionListRow, change: Change, approvals?: number): Promise<{ policy: Policy; gates: Gate[]; needed: number }> {
  const { policy } = await effectivePolicy(repos, modelName)
  const needed = approvalsNeeded(policy, change)
  if (!isGoverned(policy, change)) return { policy, needed, gates: [{ gate: 'approvals', passed: true, detail: 'this change is not governed by the policy' }] }
  const productionRow = await repos.versions.latestInStage(row.model_id, 'Production')
  const production = productionRow ? await candidateOf(repos, productionRow) : undefined
  const gates = evaluateGates({ policy, candidate: await candidateOf(repos, row), production, approvals, requiredApprovals: needed })
  return { policy, gates, needed }
}

export interface OverrideOptions {
  override?: boolean
  reason?: string | null
  /** whether the caller holds admin on the model, which an override needs */
  mayOverride?: boolean
}

/**
 * Lets a direct (unrequested) change through only when the policy asks for no approvals and every gate passes; an admin
 * may override with a reason, and the override is audited as its own event. Runs inside the change's transaction.
 */
export async function guardDirectChange(tx: Repos, actor: Actor, modelName: string, row: VersionListRow, change: Change, options: OverrideOptions, at: number): Promise<void> {
  const { gates, needed } = await gatesFor(tx, modelName, row, change, 0)
  const failed = failing(gates)
  if (failed.length === 0 && needed === 0) return
  const what = change.kind === 'stage' ? `Moving version ${row.version} of '${modelName}' to ${change.target}` : `Moving protected alias '${change.target}' of '${modelName}'`
  if (!options.override) {
    throw new CanonError('APPROVAL_REQUIRED', `${what} needs an approved transition request (\`canon request\`); failing gates: ${failed.join(', ')}.`, { model: modelName, version: Number(row.version), failing: failed, gates })
  }
  if (!options.mayOverride) throw new CanonError('PERMISSION_DENIED', `Only an admin of '${modelName}' may override its promotion policy.`, { model: modelName })
  if (!options.reason?.trim()) throw new CanonError('INVALID_INPUT', 'An override needs a reason: say why the policy is bypassed.', { field: 'reason' })
  await tx.audit.append({
    at,
    actor: actor.name,
    action: 'policy.override',
    target: `version:${modelName}/${row.version}`,
    before: { failing: failed },
    after: { kind: change.kind, target: change.target },
    reason: options.reason,
  })
}

/** A dry run: every gate for moving a version to a stage or an alias, and whether it could be done directly or requested. */
export async function promotionCheck(deps: Pick<ServiceDeps, 'store'>, modelName: string, version: number, query: { stage?: string; alias?: string }): Promise<PromotionCheck> {
  const change = changeOf(query)
  const row = await findVersionRow(deps.store, modelName, version)
  const { gates, needed } = await gatesFor(deps.store, modelName, row, change, 0)
  const requestable = gates.every((g) => g.gate === 'approvals' || g.passed)
  return { model: modelName, version, target: change.kind === 'alias' ? `@${change.target}` : change.target, requestable, direct: requestable && needed === 0, gates }
}

function changeOf(query: { stage?: string; alias?: string }): Change {
  if (query.alias !== undefined && query.stage !== undefined) throw new CanonError('INVALID_INPUT', "Ask about either a stage or an alias, not both.", { field: 'querystring' })
  if (query.alias !== undefined) return { kind: 'alias', target: checkAlias(query.alias) }
  const stage = parseStage(query.stage ?? 'Production')
  if (!stage) throw new CanonError('INVALID_INPUT', `Unknown stage '${query.stage}'.`)
  return { kind: 'stage', target: stage }
}
