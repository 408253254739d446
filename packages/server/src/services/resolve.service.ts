import type { Version } from '@canon/api'
import { CanonError, notFound } from '../domain/errors'
import { parseModelUri } from '../domain/model-uri'
import type { ServiceDeps } from './context'
import { versionById, versionFromRow } from './versions.service'

/** The one resolver every model URI goes through. */
export async function resolveUri(deps: Pick<ServiceDeps, 'store'>, uri: string): Promise<Version> {
  const { model: name, selector } = parseModelUri(uri)
  const { store } = deps
  const model = await store.models.byName(name)
  if (!model) throw notFound.model(name)
  switch (selector.kind) {
    case 'number': {
      const row = await store.versions.find(model.id, selector.version)
      if (!row) throw notFound.version(name, selector.version)
      return versionFromRow(store, row)
    }
    case 'alias': {
      const id = await store.aliases.versionId(model.id, selector.alias)
      if (id === undefined) throw notFound.alias(name, selector.alias)
      return versionById(store, id)
    }
    case 'stage': {
      const row = await store.versions.latestInStage(model.id, selector.stage)
      if (!row) throw new CanonError('VERSION_NOT_FOUND', `Model '${name}' has no version in stage ${selector.stage}.`, { model: name, stage: selector.stage })
      return versionFromRow(store, row)
    }
    case 'latestApproved': {
      const row = await store.versions.latestApproved(model.id)
      if (!row) throw new CanonError('VERSION_NOT_FOUND', `Model '${name}' has no approved version yet.`, { model: name })
      return versionFromRow(store, row)
    }
    case 'latest': {
      const row = await store.versions.latest(model.id)
      if (!row) throw new CanonError('VERSION_NOT_FOUND', `Model '${name}' has no versions yet.`, { model: name })
      return versionFromRow(store, row)
    }
  }
}
