import type { ModelCard, SetCardInput } from '@canon/api'
import { notFound } from '../domain/errors'
import { checkCard, emptyCard, missingCardFields, withModelFallback, type CardContent } from '../domain/model-card'
import { renderCardMarkdown } from '../domain/model-card-markdown'
import type { StoredCard } from '../store/cards.repo'
import type { Repos } from '../store/metadata-store'
import type { Actor, ServiceDeps } from './context'
import { findVersionRow, lockVersion } from './versions.service'

const iso = (ms: number) => new Date(ms).toISOString()

function toModelCard(model: string, own: StoredCard | undefined): ModelCard {
  const content = own?.content ?? emptyCard()
  const missingFields = missingCardFields(content)
  return { model, version: null, ...content, updatedAt: own ? iso(own.updatedAt) : null, updatedBy: own?.updatedBy ?? null, complete: missingFields.length === 0, missingFields, inheritedFields: [] }
}

/** A version card shows its own fields; completeness counts the model card's fields it falls back to. */
function toVersionCard(model: string, version: number, own: StoredCard | undefined, modelCard: StoredCard | undefined): ModelCard {
  const content = own?.content ?? emptyCard()
  const { card, inherited } = withModelFallback(content, modelCard?.content ?? emptyCard())
  const missingFields = missingCardFields(card)
  return {
    model,
    version,
    ...content,
    updatedAt: own ? iso(own.updatedAt) : null,
    updatedBy: own?.updatedBy ?? null,
    complete: missingFields.length === 0,
    missingFields,
    inheritedFields: inherited,
  }
}

async function modelIdOf(store: Repos, name: string): Promise<number> {
  const model = await store.models.byName(name)
  if (!model) throw notFound.model(name)
  return Number(model.id)
}

/**
 * The card a version is judged by: its own fields, each empty one taken from the model card. Takes `Repos` so a
 * promotion check can read it inside its own transaction.
 */
export async function effectiveVersionCard(store: Repos, modelId: number, versionId: number): Promise<CardContent> {
  const [own, modelCard] = await Promise.all([store.cards.find({ versionId }), store.cards.find({ modelId })])
  return withModelFallback(own?.content ?? emptyCard(), modelCard?.content ?? emptyCard()).card
}

export async function getModelCard(deps: Pick<ServiceDeps, 'store'>, model: string): Promise<ModelCard> {
  const modelId = await modelIdOf(deps.store, model)
  return toModelCard(model, await deps.store.cards.find({ modelId }))
}

export async function getVersionCard(deps: Pick<ServiceDeps, 'store'>, model: string, version: number): Promise<ModelCard> {
  const row = await findVersionRow(deps.store, model, version)
  const [own, modelCard] = await Promise.all([deps.store.cards.find({ versionId: Number(row.id) }), deps.store.cards.find({ modelId: Number(row.model_id) })])
  return toVersionCard(model, version, own, modelCard)
}

export async function setModelCard(deps: ServiceDeps, actor: Actor, model: string, input: SetCardInput): Promise<ModelCard> {
  const card = checkCard(input)
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const row = await tx.models.lockByName(model)
    if (!row) throw notFound.model(model)
    const before = await tx.cards.find({ modelId: Number(row.id) })
    await tx.cards.save({ modelId: Number(row.id) }, card, at, actor.name)
    await tx.models.update(row.id, { at })
    await tx.audit.append({ at, actor: actor.name, action: 'card.update', target: `model:${model}`, before: before?.content, after: card })
  })
  return getModelCard(deps, model)
}

export async function setVersionCard(deps: ServiceDeps, actor: Actor, model: string, version: number, input: SetCardInput): Promise<ModelCard> {
  const card = checkCard(input)
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const row = await lockVersion(tx, model, version)
    const before = await tx.cards.find({ versionId: Number(row.id) })
    await tx.cards.save({ versionId: Number(row.id) }, card, at, actor.name)
    await tx.versions.update(row.id, { at })
    await tx.audit.append({ at, actor: actor.name, action: 'card.update', target: `version:${model}/${version}`, before: before?.content, after: card })
  })
  return getVersionCard(deps, model, version)
}

/** The card as a Markdown document; a version's card falls back to the model card field by field. */
export async function exportCardMarkdown(deps: Pick<ServiceDeps, 'store'>, model: string, version?: number): Promise<string> {
  if (version === undefined) {
    const own = await deps.store.cards.find({ modelId: await modelIdOf(deps.store, model) })
    return renderCardMarkdown({ model, card: own?.content ?? emptyCard(), updatedAt: own && iso(own.updatedAt), updatedBy: own?.updatedBy })
  }
  const row = await findVersionRow(deps.store, model, version)
  const [own, modelCard] = await Promise.all([deps.store.cards.find({ versionId: Number(row.id) }), deps.store.cards.find({ modelId: Number(row.model_id) })])
  const { card, inherited } = withModelFallback(own?.content ?? emptyCard(), modelCard?.content ?? emptyCard())
  return renderCardMarkdown({ model, version, card, inherited, updatedAt: own && iso(own.updatedAt), updatedBy: own?.updatedBy })
}
