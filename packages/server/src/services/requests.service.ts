import type { CreateRequestInput, ListRequestsParams, RequestStatus, ReviewInput, TransitionRequest, Version } from '@canon/api'
import { Limits } from '@canon/api'
import { CanonError } from '../domain/errors'
import type { Action } from '../domain/permissions'
import { failing } from '../domain/policy'
import { parseStage } from '../domain/stages'
import { checkAlias } from '../domain/validation'
import type { Repos } from '../store/metadata-store'
import type { TransitionRequestListRow } from '../store/requests.repo'
import { applyAliasMove } from './aliases.service'
import type { Actor, ServiceDeps } from './context'
import { gatesFor, type Change } from './policies.service'
import { applyStageChange } from './stages.service'
import { lockVersion } from './versions.service'

const iso = (ms: number) => new Date(Number(ms)).toISOString()

/** Who is acting on a request, and what their grants allow on a given model. */
export interface Caller extends Actor {
  may(action: Action, model: string): boolean
  /** auth on: nobody reviews their own request (with auth off everyone is the one local user) */
  fourEyes: boolean
}

const notFound = (id: number) => new CanonError('REQUEST_NOT_FOUND', `Transition request ${id} does not exist.`, { request: id })

function changeOf(input: Pick<CreateRequestInput, 'kind' | 'target'>): Change {
  if (input.kind === 'alias') return { kind: 'alias', target: checkAlias(input.target) }
  const stage = parseStage(input.target)
  if (!stage) throw new CanonError('INVALID_INPUT', `Unknown stage '${input.target.slice(0, 64)}': use None, Staging, Production or Archived.`, { field: 'target' })
  return { kind: 'stage', target: stage }
}

/**
 * An editor asks for a stage change or an alias move. Every gate but approvals must already pass, so reviewers only
 * see requests that could be applied.
 */
export async function createRequest(deps: ServiceDeps, actor: Actor, modelName: string, version: number, input: CreateRequestInput): Promise<TransitionRequest> {
  const change = changeOf(input)
  const at = deps.clock()
  const id = await deps.store.transaction(async (tx) => {
    const row = await lockVersion(tx, modelName, version)
    const { gates, needed } = await gatesFor(tx, modelName, row, change, 0)
    const failed = failing(gates).filter((g) => g !== 'approvals')
    if (failed.length > 0) {
      throw new CanonError('POLICY_NOT_SATISFIED', `Version ${version} of '${modelName}' does not meet the policy for ${describe(change)}: ${failed.join(', ')}.`, { model: modelName, version, failing: failed, gates })
    }
    if ((await tx.requests.pendingFor(row.id, change.kind, change.target)) !== undefined) {
      throw new CanonError('INVALID_STATE', `A request to move version ${version} of '${modelName}' to ${describe(change)} is already pending.`, { model: modelName, version })
    }
    const requestId = await tx.requests.insert({ modelId: row.model_id, versionId: row.id, kind: change.kind, target: change.target, requestedBy: actor.name, comment: input.comment ?? null, requiredApprovals: Math.max(1, needed), at })
    await tx.audit.append({ at, actor: actor.name, action: 'request.create', target: `request:${requestId}`, after: { model: modelName, version, kind: change.kind, target: change.target }, reason: input.comment ?? null })
    return requestId
  })
  return requestById(deps.store, id)
}

/**
 * An approver's verdict. A rejection closes the request; the approval that reaches the number the request needs applies
 * the change in this same transaction, after checking the policy's gates once more.
 */
export async function reviewRequest(deps: ServiceDeps, caller: Caller, id: number, input: ReviewInput): Promise<TransitionRequest> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const request = await lockRequest(tx, caller, id)
    if (!caller.may('approve', request.model_name)) throw new CanonError('PERMISSION_DENIED', `${caller.name} may not review requests on model '${request.model_name}'.`, { action: 'approve', model: request.model_name })
    if (request.status !== 'pending') throw new CanonError('INVALID_STATE', `Request ${id} is ${request.status}; only a pending request can be reviewed.`, { request: id, status: request.status })
    if (caller.fourEyes && request.requested_by === caller.name) {
      throw new CanonError('PERMISSION_DENIED', `${caller.name} made request ${id} and cannot also review it (four-eyes rule).`, { request: id })
    }
    const reviews = await tx.requests.reviews([id])
    if (reviews.some((r) => r.reviewer === caller.name)) throw new CanonError('INVALID_STATE', `${caller.name} has already reviewed request ${id}; each approver counts once.`, { request: id })
    await tx.requests.insertReview({ requestId: id, reviewer: caller.name, decision: input.decision, comment: input.comment ?? null, at })
    await tx.audit.append({ at, actor: caller.name, action: 'request.review', target: `request:${id}`, after: { decision: input.decision }, reason: input.comment ?? null })
    if (input.decision === 'reject') {
      await tx.requests.decide(id, 'rejected', caller.name, at)
      await tx.audit.append({ at, actor: caller.name, action: 'request.reject', target: `request:${id}`, before: { status: 'pending' }, after: { status: 'rejected' }, reason: input.comment ?? null })
      return
    }
    const approvers = new Set([...reviews.filter((r) => r.decision === 'approve').map((r) => r.reviewer), caller.name])
    approvers.delete(request.requested_by)
    if (approvers.size < request.required_approvals) return
    await applyRequest(tx, caller, request, approvers.size, at)
  })
  return requestById(deps.store, id)
}

async function applyRequest(tx: Repos, caller: Caller, request: TransitionRequestListRow, approvals: number, at: number): Promise<void> {
  const row = await lockVersion(tx, request.model_name, Number(request.version))
  const change: Change = { kind: request.kind as Change['kind'], target: request.target }
  const { gates } = await gatesFor(tx, request.model_name, row, change, approvals)
  const failed = failing(gates).filter((g) => g !== 'approvals')
  if (failed.length > 0) {
    throw new CanonError('POLICY_NOT_SATISFIED', `Request ${request.id} cannot be applied: the version no longer meets the policy: ${failed.join(', ')}.`, { request: Number(request.id), failing: failed, gates })
  }
  const reason = `request ${request.id} by ${request.requested_by}${request.comment ? `: ${request.comment}` : ''}`.slice(0, Limits.reason)
  // The deciding approver makes the change happen; the reason names the request and who asked for it.
  if (change.kind === 'stage') await applyStageChange(tx, caller, request.model_name, row, { stage: change.target as Version['stage'], reason }, at)
  else await applyAliasMove(tx, caller, request.model_name, change.target, row, at, reason)
  await tx.requests.decide(Number(request.id), 'applied', caller.name, at)
  await tx.audit.append({ at, actor: caller.name, action: 'request.apply', target: `request:${request.id}`, before: { status: 'pending' }, after: { status: 'applied', approvals }, reason })
}

/** The requester, or an admin of the model, withdraws a pending request. */
export async function cancelRequest(deps: ServiceDeps, caller: Caller, id: number, reason?: string): Promise<TransitionRequest> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const request = await lockRequest(tx, caller, id)
    if (request.requested_by !== caller.name && !caller.may('admin', request.model_name)) {
      throw new CanonError('PERMISSION_DENIED', `Only ${request.requested_by}, who made request ${id}, or an admin may cancel it.`, { request: id })
    }
    if (request.status !== 'pending') throw new CanonError('INVALID_STATE', `Request ${id} is ${request.status}; only a pending request can be cancelled.`, { request: id, status: request.status })
    await tx.requests.decide(id, 'cancelled', caller.name, at)
    await tx.audit.append({ at, actor: caller.name, action: 'request.cancel', target: `request:${id}`, before: { status: 'pending' }, after: { status: 'cancelled' }, reason: reason ?? null })
  })
  return requestById(deps.store, id)
}

export async function getRequest(deps: Pick<ServiceDeps, 'store'>, caller: Caller, id: number): Promise<TransitionRequest> {
  const row = await deps.store.requests.byId(id)
  if (!row || !caller.may('read', row.model_name)) throw notFound(id)
  return (await toRequests(deps.store, [row]))[0]!
}

/**
 * The inbox: by default the pending requests the caller may review (on models they may approve, made by someone else);
 * with `mine`, the caller's own requests.
 */
export async function listRequests(deps: Pick<ServiceDeps, 'store'>, caller: Caller, query: ListRequestsParams): Promise<{ items: TransitionRequest[] }> {
  const limit = query.limit ?? Limits.defaultPageSize
  let modelId: number | undefined
  if (query.model !== undefined) {
    const model = await deps.store.models.byName(query.model)
    if (!model || !caller.may('read', query.model)) return { items: [] }
    modelId = model.id
  }
  const status: RequestStatus | undefined = query.status ?? (query.mine ? undefined : 'pending')
  const rows = await deps.store.requests.search({ status, modelId, requestedBy: query.mine ? caller.name : undefined, limit: query.mine ? limit : Limits.pageSize * 10 })
  const visible = query.mine
    ? rows.filter((r) => caller.may('read', r.model_name))
    : rows.filter((r) => caller.may('approve', r.model_name) && !(caller.fourEyes && r.requested_by === caller.name))
  return { items: await toRequests(deps.store, visible.slice(0, limit)) }
}

async function lockRequest(tx: Repos, caller: Caller, id: number): Promise<TransitionRequestListRow> {
  const found = await tx.requests.byId(id)
  if (!found || !caller.may('read', found.model_name)) throw notFound(id)
  // Locking the model serialises reviews of its requests with every other change to it.
  await tx.models.lockByName(found.model_name)
  const request = await tx.requests.byId(id)
  if (!request) throw notFound(id)
  return request
}

export async function requestById(repos: Repos, id: number): Promise<TransitionRequest> {
  const row = await repos.requests.byId(id)
  if (!row) throw notFound(id)
  return (await toRequests(repos, [row]))[0]!
}

async function toRequests(repos: Repos, rows: TransitionRequestListRow[]): Promise<TransitionRequest[]> {
  const reviews = await repos.requests.reviews(rows.map((r) => Number(r.id)))
  return rows.map((r) => ({
    id: Number(r.id),
    model: r.model_name,
    version: Number(r.version),
    kind: r.kind as TransitionRequest['kind'],
    target: r.target,
    status: r.status as RequestStatus,
    requestedBy: r.requested_by,
    comment: r.comment,
    requiredApprovals: Number(r.required_approvals),
    createdAt: iso(r.created_at),
    decidedAt: r.decided_at === null ? null : iso(r.decided_at),
    decidedBy: r.decided_by,
    reviews: reviews
      .filter((v) => Number(v.request_id) === Number(r.id))
      .map((v) => ({ reviewer: v.reviewer, decision: v.decision as 'approve' | 'reject', comment: v.comment, at: iso(v.at) })),
  }))
}

const describe = (change: Change) => (change.kind === 'alias' ? `alias '${change.target}'` : change.target)
