import type { Version } from '@canon/api'
import { CanonError, notFound } from '../domain/errors'
import { toVersion } from './mappers'
import { parseModelUri } from '../domain/model-uri'
import type { ServiceDeps } from './context'
import { versionFromRow } from './versions.service'

/** The one resolver every model URI goes through. */
export async function resolveUri(deps: Pick<ServiceDeps, 'store'>, uri: string): Promise<Version> {
  const { model: name, selector } = parseModelUri(uri)
  const { store } = deps
  // the hot case, an alias, is one statement for the row; the model is looked up only to tell which part is missing
  if (selector.kind === 'alias') {
    const found = await store.versions.byAlias(name, selector.alias)
    if (found) return toVersion(found.row, found.document.details, found.document.files)
    if (!(await store.models.byName(name))) throw notFound.model(name)
    throw notFound.alias(name, selector.alias)
  }
  const model = await store.models.byName(name)
  if (!model) throw notFound.model(name)
  switch (selector.kind) {
    case 'number': {
      const row = await store.versions.find(model.id, selector.version)
      if (!row) throw notFound.version(name, selector.version)
      return versionFromRow(store, row)
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
