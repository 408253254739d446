import { Limits, type CreateModelInput, type ListModelsParams, type Model, type Page, type UpdateModelInput } from '@canon/api'
import { CanonError, notFound } from '../domain/errors'
import { checkModelName, checkTagKey, checkTags } from '../domain/validation'
import { isUniqueViolation } from '../store/dialect-errors'
import type { Repos } from '../store/metadata-store'
import type { ModelListRow } from '../store/models.repo'
import type { Actor, ServiceDeps } from './context'
import type { Visibility } from '../domain/permissions'
import { decodeCursor, encodeCursor, parseTagFilters } from './cursor'
import { toModel } from './mappers'

const modelExists = (name: string) => new CanonError('MODEL_EXISTS', `A registered model named '${name}' already exists.`, { model: name })

export async function createModel(deps: ServiceDeps, actor: Actor, input: CreateModelInput): Promise<Model> {
  const name = checkModelName(input.name)
  const tags = checkTags(input.tags)
  const description = input.description ?? ''
  const at = deps.clock()
  await deps.store
    .transaction(async (tx) => {
      if (await tx.models.byName(name)) throw modelExists(name)
      const row = await tx.models.insert({ name, description, at, actor: actor.name })
      await tx.models.setTags(row.id, tags)
      await tx.audit.append({ at, actor: actor.name, action: 'model.create', target: `model:${name}`, after: { name, description, tags } })
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? modelExists(name) : error
    })
  return getModel(deps, name)
}

export async function getModel(deps: Pick<ServiceDeps, 'store'>, name: string): Promise<Model> {
  const row = await deps.store.models.byName(name)
  if (!row) throw notFound.model(name)
  const [model] = await hydrate(deps.store, await deps.store.models.withSummary([row.id]))
  if (!model) throw notFound.model(name)
  return model
}

type ModelCursor = { s: string; o: string; v: string | number; id: number }

export async function listModels(deps: ServiceDeps, params: ListModelsParams, visibility?: Visibility): Promise<Page<Model>> {
  const sort = params.sort ?? 'name'
  const order = params.order ?? (sort === 'name' ? 'asc' : 'desc')
  const limit = params.limit ?? Limits.defaultPageSize
  const after = params.cursor
    ? decodeCursor(params.cursor, (c: unknown): c is ModelCursor => {
        const v = c as ModelCursor
        const validValue = sort === 'name' ? typeof v?.v === 'string' && !v.v.includes('\0') : Number.isSafeInteger(v?.v)
        return !!v && v.s === sort && v.o === order && Number.isSafeInteger(v.id) && validValue
      })
    : undefined
  const rows = await deps.store.models.search({
    nameContains: params.q,
    tags: parseTagFilters(params.tag),
    hasStage: params.stage,
    sort,
    order,
    after: after && { value: after.v, id: after.id },
    limit: limit + 1,
    visibility,
  })
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  const sortValue = (r: ModelListRow) => (sort === 'name' ? r.name : sort === 'created' ? Number(r.created_at) : Number(r.updated_at))
  return {
    items: await hydrate(deps.store, page),
    nextCursor: rows.length > limit && last ? encodeCursor({ s: sort, o: order, v: sortValue(last), id: Number(last.id) }) : null,
  }
}

/** Models by id, in the order given. */
export async function modelsByIds(store: Repos, ids: number[]): Promise<{ id: number; model: Model }[]> {
  const rows = await store.models.withSummary(ids)
  const models = await hydrate(store, rows)
  const byId = new Map(rows.map((r, i) => [Number(r.id), models[i]!]))
  return ids.filter((id) => byId.has(id)).map((id) => ({ id, model: byId.get(id)! }))
}

async function hydrate(store: Repos, rows: ModelListRow[]): Promise<Model[]> {
  const ids = rows.map((r) => Number(r.id))
  const [tags, aliasRows] = await Promise.all([store.models.tags(ids), store.aliases.list(ids)])
  const aliases = new Map<number, Record<string, number>>()
  for (const a of aliasRows) {
    const record = aliases.get(Number(a.model_id)) ?? {}
    record[a.alias] = Number(a.version)
    aliases.set(Number(a.model_id), record)
  }
  return rows.map((r) => toModel(r, tags.get(Number(r.id)), aliases.get(Number(r.id))))
}

export async function updateModel(deps: ServiceDeps, actor: Actor, name: string, patch: UpdateModelInput): Promise<Model> {
  const newName = patch.name === undefined ? undefined : checkModelName(patch.name)
  const at = deps.clock()
  await deps.store
    .transaction(async (tx) => {
      const model = await tx.models.lockByName(name)
      if (!model) throw notFound.model(name)
      if (newName !== undefined && newName !== name && (await tx.models.byName(newName))) throw modelExists(newName)
      await tx.models.update(model.id, { name: newName, description: patch.description, at })
      // A policy is keyed by model name: it follows a rename, so renaming never escapes it.
      if (newName !== undefined && newName !== name) await tx.requests.movePolicy(name, newName)
      const before = { name: model.name, description: model.description }
      const after = { name: newName ?? model.name, description: patch.description ?? model.description }
      const action = newName !== undefined && newName !== name ? 'model.rename' : 'model.update'
      await tx.audit.append({ at, actor: actor.name, action, target: `model:${name}`, before, after })
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) && newName ? modelExists(newName) : error
    })
  return getModel(deps, newName ?? name)
}

export async function deleteModel(deps: ServiceDeps, actor: Actor, name: string): Promise<void> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const model = await tx.models.lockByName(name)
    if (!model) throw notFound.model(name)
    const production = await tx.versions.productionVersions(model.id)
    if (production.length > 0) {
      throw new CanonError(
        'MODEL_HAS_PRODUCTION_VERSION',
        `Model '${name}' has version ${production.join(', ')} in Production; move it to Archived first.`,
        { model: name, productionVersions: production },
      )
    }
    const deployments = await tx.deployments.list({ modelId: model.id, limit: 20 })
    if (deployments.length > 0) {
      const names = deployments.map((d) => d.name)
      throw new CanonError('VERSION_SERVING', `Model '${name}' is deployed by ${names.join(', ')}; delete those deployments first.`, { model: name, deployments: names })
    }
    await tx.models.delete(model.id)
    await tx.audit.append({ at, actor: actor.name, action: 'model.delete', target: `model:${name}`, before: { name, description: model.description } })
  })
}

export async function setModelTag(deps: ServiceDeps, actor: Actor, name: string, key: string, value: string): Promise<Model> {
  checkTagKey(key)
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const model = await tx.models.lockByName(name)
    if (!model) throw notFound.model(name)
    const before = await tx.models.tagValue(model.id, key)
    await tx.models.setTag(model.id, key, value)
    await tx.models.update(model.id, { at })
    await tx.audit.append({ at, actor: actor.name, action: 'model.tag.set', target: `model:${name}`, before: before === undefined ? undefined : { [key]: before }, after: { [key]: value } })
  })
  return getModel(deps, name)
}

export async function deleteModelTag(deps: ServiceDeps, actor: Actor, name: string, key: string): Promise<void> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const model = await tx.models.lockByName(name)
    if (!model) throw notFound.model(name)
    const before = await tx.models.tagValue(model.id, key)
    if (before === undefined) throw new CanonError('TAG_NOT_FOUND', `Model '${name}' has no tag '${key}'.`, { model: name, key })
    await tx.models.deleteTag(model.id, key)
    await tx.models.update(model.id, { at })
    await tx.audit.append({ at, actor: actor.name, action: 'model.tag.delete', target: `model:${name}`, before: { [key]: before } })
  })
}
