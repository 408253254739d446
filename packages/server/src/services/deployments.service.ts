import { createHash } from 'node:crypto'
import { DEPLOYMENT_NAME_PATTERN, Limits, type Deployment, type DeploymentHistoryEntry, type Page, type PutDeploymentInput, type RouteDecision } from '@canon/api'
import { CanonError, notFound } from '../domain/errors'
import type { Repos } from '../store/metadata-store'
import type { DeploymentListRow, TargetRow } from '../store/deployments.repo'
import type { Actor, ServiceDeps } from './context'
import { decodeCursor, encodeCursor } from './cursor'

const iso = (ms: number) => new Date(Number(ms)).toISOString()
const NAME = new RegExp(DEPLOYMENT_NAME_PATTERN)

export const deploymentNotFound = (name: string) => new CanonError('DEPLOYMENT_NOT_FOUND', `Deployment '${name.slice(0, 200)}' does not exist.`, { deployment: name.slice(0, 200) })

/** Version number → weight, with zero weights dropped; the weights must sum to exactly 100. */
export function checkSplit(split: Record<string, number>): Map<number, number> {
  const weights = new Map<number, number>()
  let total = 0
  for (const [version, weight] of Object.entries(split)) {
    if (!/^[1-9][0-9]{0,9}$/.test(version)) throw new CanonError('INVALID_SPLIT', `'${version.slice(0, 20)}' is not a version number; a split maps version numbers to percentages, e.g. {"5": 90, "6": 10}.`)
    if (!Number.isInteger(weight) || weight < 0 || weight > 100) throw new CanonError('INVALID_SPLIT', `The weight of version ${version} must be a whole percentage from 0 to 100; got ${weight}.`)
    total += weight
    if (weight > 0) weights.set(Number(version), weight)
  }
  if (total !== 100) throw new CanonError('INVALID_SPLIT', `The weights of a split must sum to 100; these sum to ${total}.`, { total })
  return weights
}

/** Creates the deployment or changes its split, status or environment; every change is a new revision with who and why. */
export async function putDeployment(deps: ServiceDeps, actor: Actor, name: string, input: PutDeploymentInput): Promise<Deployment> {
  if (!NAME.test(name)) throw new CanonError('INVALID_NAME', `Deployment name '${name.slice(0, 200)}' is invalid: 1–128 letters, digits, '_', '-' and '.', starting with a letter or digit.`)
  const weights = checkSplit(input.split)
  const at = deps.clock()
  // the answer is read in the change's own transaction: it shows this revision, not one a concurrent change made after it
  return deps.store.transaction(async (tx) => {
    const model = await tx.models.lockByName(input.model)
    if (!model) throw notFound.model(input.model)
    const targets: { versionId: number; weight: number; version: number }[] = []
    for (const [version, weight] of weights) {
      const row = await tx.versions.find(model.id, version)
      if (!row) throw notFound.version(input.model, version)
      targets.push({ versionId: Number(row.id), weight, version })
    }
    const existing = await tx.deployments.lockByName(name)
    if (existing && existing.model_name !== input.model) {
      throw new CanonError('DEPLOYMENT_MODEL_MISMATCH', `Deployment '${name}' serves model '${existing.model_name}'; a deployment's model cannot change. Create a new deployment for '${input.model}'.`, { deployment: name, model: existing.model_name })
    }
    const status = input.status ?? existing?.status ?? 'active'
    const description = input.description ?? existing?.description ?? ''
    const revision = (existing ? Number(existing.revision) : 0) + 1
    let id: number
    let before: Record<string, unknown> | undefined
    if (existing) {
      id = Number(existing.id)
      before = { environment: existing.environment, status: existing.status, split: splitRecord(await tx.deployments.targets([id])) }
      await tx.deployments.update(id, { environment: input.environment, status, description, revision, updated_at: at, updated_by: actor.name })
    } else {
      id = await tx.deployments.insert({ name, environment: input.environment, model_id: model.id, status, description, revision, created_at: at, created_by: actor.name, updated_at: at, updated_by: actor.name })
    }
    await tx.deployments.setTargets(id, targets)
    const split = Object.fromEntries(targets.map((t) => [String(t.version), t.weight]))
    await tx.deployments.addHistory({ deployment_name: name, revision, model_name: input.model, environment: input.environment, status, split: JSON.stringify(split), actor: actor.name, reason: input.reason ?? null, at })
    await tx.audit.append({
      at,
      actor: actor.name,
      action: existing ? 'deployment.update' : 'deployment.create',
      target: `deployment:${name}`,
      before,
      after: { model: input.model, environment: input.environment, status, split, revision },
      reason: input.reason ?? null,
    })
    return getDeployment({ store: tx }, name)
  })
}

export async function getDeployment(deps: { store: Pick<Repos, 'deployments'> }, name: string): Promise<Deployment> {
  const row = await deps.store.deployments.byName(name)
  if (!row) throw deploymentNotFound(name)
  return toDeployment(row, await deps.store.deployments.targets([Number(row.id)]))
}

type NameCursor = { n: string }

export async function listDeployments(deps: Pick<ServiceDeps, 'store'>, query: { model?: string; environment?: string; limit?: number; cursor?: string }): Promise<Page<Deployment>> {
  let modelId: number | undefined
  if (query.model !== undefined) {
    const model = await deps.store.models.byName(query.model)
    if (!model) throw notFound.model(query.model)
    modelId = model.id
  }
  const limit = query.limit ?? Limits.defaultPageSize
  const after = query.cursor ? decodeCursor(query.cursor, (c: unknown): c is NameCursor => typeof (c as NameCursor)?.n === 'string') : undefined
  const rows = await deps.store.deployments.list({ modelId, environment: query.environment, afterName: after?.n, limit: limit + 1 })
  const page = rows.slice(0, limit)
  const targets = new Map<number, TargetRow[]>()
  for (const t of await deps.store.deployments.targets(page.map((r) => Number(r.id)))) targets.set(Number(t.deployment_id), [...(targets.get(Number(t.deployment_id)) ?? []), t])
  const last = page.at(-1)
  return {
    items: page.map((r) => toDeployment(r, targets.get(Number(r.id)) ?? [])),
    nextCursor: rows.length > limit && last ? encodeCursor({ n: last.name }) : null,
  }
}

type HistoryCursor = { id: number }

export async function deploymentHistory(deps: Pick<ServiceDeps, 'store'>, name: string, query: { limit?: number; cursor?: string }): Promise<Page<DeploymentHistoryEntry>> {
  const limit = query.limit ?? Limits.defaultPageSize
  const before = query.cursor ? decodeCursor(query.cursor, (c: unknown): c is HistoryCursor => Number.isSafeInteger((c as HistoryCursor)?.id)) : undefined
  const rows = await deps.store.deployments.history(name, { beforeId: before?.id, limit: limit + 1 })
  if (rows.length === 0 && !before && !(await deps.store.deployments.byName(name))) throw deploymentNotFound(name)
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    items: page.map((h) => ({
      revision: Number(h.revision),
      model: h.model_name,
      environment: h.environment,
      status: h.status,
      split: JSON.parse(h.split) as Record<string, number>,
      actor: h.actor,
      reason: h.reason,
      at: iso(h.at),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor({ id: Number(last.id) }) : null,
  }
}

/** The version a request with this key goes to: the same key always lands on the same version while the split stands. */
export async function routeRequest(deps: Pick<ServiceDeps, 'store'>, name: string, key: string): Promise<RouteDecision> {
  const row = await deps.store.deployments.byName(name)
  if (!row) throw deploymentNotFound(name)
  if (row.status === 'retired') throw new CanonError('INVALID_STATE', `Deployment '${name}' is retired and routes no traffic.`, { deployment: name })
  const targets = await deps.store.deployments.targets([Number(row.id)])
  const target = pickTarget(name, key, targets)
  return { deployment: name, model: row.model_name, version: target.version, weight: Number(target.weight), revision: Number(row.revision), uri: `model://${row.model_name}/v${target.version}` }
}

/**
 * Hashes the key into one of 100 buckets and walks the targets in version order, each owning as many buckets as its
 * weight. Keys keep their version when weights shift between neighbours, except the buckets that moved.
 */
export function pickTarget<T extends { version: number; weight: number }>(deployment: string, key: string, targets: T[]): T {
  const bucket = createHash('sha256').update(`${deployment}\n${key}`).digest().readUInt32BE(0) % 100
  const ordered = [...targets].sort((a, b) => Number(a.version) - Number(b.version))
  let upper = 0
  for (const target of ordered) {
    upper += Number(target.weight)
    if (bucket < upper) return target
  }
  return ordered.at(-1)!
}

export async function deleteDeployment(deps: ServiceDeps, actor: Actor, name: string, reason?: string): Promise<void> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const row = await tx.deployments.lockByName(name)
    if (!row) throw deploymentNotFound(name)
    const split = splitRecord(await tx.deployments.targets([Number(row.id)]))
    await tx.deployments.delete(Number(row.id))
    await tx.deployments.addHistory({ deployment_name: name, revision: Number(row.revision) + 1, model_name: row.model_name, environment: row.environment, status: 'deleted', split: '{}', actor: actor.name, reason: reason ?? null, at })
    await tx.audit.append({ at, actor: actor.name, action: 'deployment.delete', target: `deployment:${name}`, before: { model: row.model_name, environment: row.environment, status: row.status, split }, reason: reason ?? null })
  })
}

/** The model a deployment serves, for permission checks on routes that name only the deployment. */
export async function modelOfDeployment(store: Repos, name: string): Promise<string | undefined> {
  return (await store.deployments.byName(name))?.model_name
}

function splitRecord(targets: TargetRow[]): Record<string, number> {
  return Object.fromEntries(targets.map((t) => [String(t.version), Number(t.weight)]))
}

function toDeployment(row: DeploymentListRow, targets: TargetRow[]): Deployment {
  return {
    name: row.name,
    environment: row.environment,
    model: row.model_name,
    status: row.status,
    description: row.description,
    revision: Number(row.revision),
    split: targets.map((t) => ({ version: Number(t.version), weight: Number(t.weight), stage: t.stage, archived: t.stage === 'Archived' })),
    createdAt: iso(row.created_at),
    createdBy: row.created_by,
    updatedAt: iso(row.updated_at),
    updatedBy: row.updated_by,
  }
}
