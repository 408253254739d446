import { allow, anywhere } from '../http/permission-rules'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { VersionSummary } from '@canon/api'
import { CanonError, notFound } from '../domain/errors'
import { can, visibilityOf } from '../domain/permissions'
import { parseModelUri } from '../domain/model-uri'
import { parseStage } from '../domain/stages'
import type { ServiceDeps } from '../services/context'
import { createModel, deleteModel, deleteModelTag, getModel, setModelTag, updateModel } from '../services/models.service'
import { createVersion, deleteVersion, deleteVersionTag, findVersionRow, getVersion, setVersionTag, updateVersion } from '../services/versions.service'
import { transitionStage } from '../services/stages.service'
import { deleteAlias, getAliasVersion, setAlias } from '../services/aliases.service'
import { proxiedPath, resolveVersionSource } from '../services/tracking/version-sources'
import { modelOfArtifactPath, versionDownloadUri } from '../services/tracking/artifacts.service'
import { toVersionSummary } from '../services/mappers'
import { MlflowFields, parseVersionNumber } from './request-fields'
import { mlflowModel, mlflowNewName } from './permission-models'
import { mlflowRegisteredModel, mlflowVersion } from './wire'
import { searchModelVersions, searchRegisteredModels } from './registry-search'

const ignoreMissing = (code: string) => (error: unknown) => {
  if (!(error instanceof CanonError && error.code === code)) throw error
}

function stageOf(name: string) {
  const stage = parseStage(name)
  if (!stage) throw new CanonError('INVALID_INPUT', `Invalid Model Version stage: ${name.slice(0, 50)}. Value must be one of None, Staging, Production, Archived.`)
  return stage
}

/** The highest version in each stage, as MLflow's latest_versions. */
export async function latestVersionsOf(deps: ServiceDeps, modelIds: number[]): Promise<Map<number, VersionSummary[]>> {
  const rows = await deps.store.versions.latestPerStage(modelIds)
  const details = await deps.store.versions.details(rows.map((r) => Number(r.id)))
  const byModel = new Map<number, VersionSummary[]>()
  for (const row of rows) byModel.set(Number(row.model_id), [...(byModel.get(Number(row.model_id)) ?? []), toVersionSummary(row, details)])
  return byModel
}

async function registeredModel(deps: ServiceDeps, name: string) {
  const model = await getModel(deps, name)
  const row = await deps.store.models.byName(model.name)
  const latest = row ? await latestVersionsOf(deps, [Number(row.id)]) : new Map()
  return mlflowRegisteredModel(model, latest.get(Number(row?.id)) ?? [])
}

/** Registering from another model's version copies its files: the caller must be able to read that model too. */
async function checkSourceModelReadable(deps: ServiceDeps, request: FastifyRequest, source: string): Promise<void> {
  let model: string | null = null
  if (source.startsWith('models:')) {
    try {
      model = parseModelUri(source).model
    } catch {
      return
    }
  } else {
    const path = proxiedPath(source)
    if (path !== null) model = await modelOfArtifactPath(deps, path).catch(() => null)
  }
  if (model !== null && !can(request.principal?.grants ?? [], 'read', model)) throw new CanonError('MODEL_NOT_FOUND', `Registered model '${model}' does not exist.`)
}

export async function registryRoutes(app: FastifyInstance, { deps }: { deps: ServiceDeps }) {
  app.post('/registered-models/create', { config: allow.write(mlflowModel) }, async (request) => {
    const f = new MlflowFields(request)
    const tags = Object.fromEntries(f.keyValues('tags').map((t) => [t.key, t.value]))
    const model = await createModel(deps, request.actor, { name: f.requiredString('name'), description: f.optionalString('description'), tags })
    return { registered_model: mlflowRegisteredModel(model, []) }
  })

  app.get('/registered-models/get', { config: { ...allow.read(mlflowModel), cache: 'url' } }, async (request) => ({ registered_model: await registeredModel(deps, new MlflowFields(request).requiredString('name')) }))

  app.post('/registered-models/rename', { config: allow.write(mlflowModel, mlflowNewName) }, async (request) => {
    const f = new MlflowFields(request)
    const model = await updateModel(deps, request.actor, f.requiredString('name'), { name: f.requiredString('new_name') })
    return { registered_model: await registeredModel(deps, model.name) }
  })

  app.patch('/registered-models/update', { config: allow.write(mlflowModel) }, async (request) => {
    const f = new MlflowFields(request)
    // MLflow clears the description when the request omits it.
    const model = await updateModel(deps, request.actor, f.requiredString('name'), { description: f.optionalString('description') ?? '' })
    return { registered_model: await registeredModel(deps, model.name) }
  })

  app.delete('/registered-models/delete', { config: allow.admin(mlflowModel) }, async (request) => {
    await deleteModel(deps, request.actor, new MlflowFields(request).requiredString('name'))
    return {}
  })

  app.get('/registered-models/search', { config: { ...allow.read(anywhere), cache: 'url-and-caller' } }, async (request) => searchRegisteredModels(deps, new MlflowFields(request), visibilityOf(request.principal?.grants ?? [])))

  const latestVersions = async (request: FastifyRequest) => {
    const f = new MlflowFields(request)
    const name = f.requiredString('name')
    const stages = f.stringList('stages').map(stageOf)
    await getModel(deps, name)
    const row = await deps.store.models.byName(name)
    const latest = (await latestVersionsOf(deps, [Number(row!.id)])).get(Number(row!.id)) ?? []
    const chosen = stages.length === 0 ? latest : latest.filter((v) => stages.includes(v.stage))
    return { model_versions: chosen.length > 0 ? chosen.map((v) => mlflowVersion(v, { aliases: false })) : undefined }
  }
  app.post('/registered-models/get-latest-versions', { config: allow.read(mlflowModel) }, latestVersions)
  app.get('/registered-models/get-latest-versions', { config: { ...allow.read(mlflowModel), cache: 'url' } }, latestVersions)

  app.post('/registered-models/set-tag', { config: allow.write(mlflowModel) }, async (request) => {
    const f = new MlflowFields(request)
    await setModelTag(deps, request.actor, f.requiredString('name'), f.requiredString('key'), f.optionalString('value') ?? '')
    return {}
  })

  app.delete('/registered-models/delete-tag', { config: allow.write(mlflowModel) }, async (request) => {
    const f = new MlflowFields(request)
    const name = f.requiredString('name')
    await deleteModelTag(deps, request.actor, name, f.requiredString('key')).catch(ignoreMissing('TAG_NOT_FOUND'))
    return {}
  })

  app.post('/registered-models/alias', { config: allow.write(mlflowModel) }, async (request) => {
    const f = new MlflowFields(request)
    await setAlias(deps, request.actor, f.requiredString('name'), f.requiredString('alias'), parseVersionNumber(f.requiredString('version')))
    return {}
  })

  app.delete('/registered-models/alias', { config: allow.write(mlflowModel) }, async (request) => {
    const f = new MlflowFields(request)
    await deleteAlias(deps, request.actor, f.requiredString('name'), f.requiredString('alias')).catch(ignoreMissing('ALIAS_NOT_FOUND'))
    return {}
  })

  app.get('/registered-models/alias', { config: { ...allow.read(mlflowModel), cache: 'url' } }, async (request) => {
    const f = new MlflowFields(request)
    const name = f.requiredString('name')
    const alias = f.requiredString('alias')
    const version = await getAliasVersion(deps, name, alias).catch((error: unknown) => {
      if (error instanceof CanonError && error.code === 'MODEL_NOT_FOUND') throw new CanonError('ALIAS_NOT_FOUND', `Registered model alias ${alias} not found.`)
      throw error
    })
    return { model_version: mlflowVersion(version, { aliases: true }) }
  })

  app.post('/model-versions/create', { config: allow.write(mlflowModel) }, async (request) => {
    const f = new MlflowFields(request)
    const name = f.requiredString('name')
    const source = f.requiredString('source')
    const runId = f.optionalString('run_id') || undefined
    // an unknown model is reported before anything about the source (one indexed read, not the model's whole summary)
    if (!(await deps.store.models.byName(name))) throw notFound.model(name)
    await checkSourceModelReadable(deps, request, source)
    const files = await resolveVersionSource(deps, source, runId)
    const tags = Object.fromEntries(f.keyValues('tags').map((t) => [t.key, t.value]))
    const version = await createVersion(
      deps,
      request.actor,
      name,
      { files, source, runId, tags, description: f.optionalString('description') ?? '' },
      { runLink: f.optionalString('run_link') || undefined },
    )
    return { model_version: mlflowVersion(version, { aliases: true }) }
  })

  app.get('/model-versions/get', { config: { ...allow.read(mlflowModel), cache: 'url' } }, async (request) => {
    const f = new MlflowFields(request)
    const version = await getVersion(deps, f.requiredString('name'), parseVersionNumber(f.requiredString('version')))
    return { model_version: mlflowVersion(version, { aliases: true }) }
  })

  app.patch('/model-versions/update', { config: allow.write(mlflowModel) }, async (request) => {
    const f = new MlflowFields(request)
    const version = await updateVersion(deps, request.actor, f.requiredString('name'), parseVersionNumber(f.requiredString('version')), f.optionalString('description') ?? '')
    return { model_version: mlflowVersion(version, { aliases: true }) }
  })

  app.post('/model-versions/transition-stage', { config: allow.write(mlflowModel) }, async (request) => {
    const f = new MlflowFields(request)
    const stage = stageOf(f.requiredString('stage'))
    const archiveExisting = f.optionalBoolean('archive_existing_versions') ?? false
    if (archiveExisting && stage !== 'Staging' && stage !== 'Production') {
      throw new CanonError('INVALID_INPUT', `archive_existing_versions is only allowed when moving to Staging or Production, not ${stage}.`)
    }
    const version = await transitionStage(
      deps,
      request.actor,
      f.requiredString('name'),
      parseVersionNumber(f.requiredString('version')),
      { stage, archiveExisting, reason: f.optionalString('comment') },
      { archiveStaging: true },
    )
    return { model_version: mlflowVersion(version, { aliases: true }) }
  })

  app.delete('/model-versions/delete', { config: allow.admin(mlflowModel) }, async (request) => {
    const f = new MlflowFields(request)
    await deleteVersion(deps, request.actor, f.requiredString('name'), parseVersionNumber(f.requiredString('version')))
    return {}
  })

  app.get('/model-versions/search', { config: { ...allow.read(anywhere), cache: 'url-and-caller' } }, async (request) => searchModelVersions(deps, new MlflowFields(request), visibilityOf(request.principal?.grants ?? [])))

  app.get('/model-versions/get-download-uri', { config: allow.read(mlflowModel) }, async (request) => {
    const f = new MlflowFields(request)
    const row = await findVersionRow(deps.store, f.requiredString('name'), parseVersionNumber(f.requiredString('version')))
    // Stored versions download through Canon from their immutable manifest; external pointers stay where they are.
    const external = Number(row.file_count) === 0 && row.source !== null && !/^(runs|models|mlflow-artifacts):/.test(row.source)
    return { artifact_uri: external ? row.source! : versionDownloadUri(Number(row.id)) }
  })

  app.post('/model-versions/set-tag', { config: allow.write(mlflowModel) }, async (request) => {
    const f = new MlflowFields(request)
    await setVersionTag(deps, request.actor, f.requiredString('name'), parseVersionNumber(f.requiredString('version')), f.requiredString('key'), f.optionalString('value') ?? '')
    return {}
  })

  app.delete('/model-versions/delete-tag', { config: allow.write(mlflowModel) }, async (request) => {
    const f = new MlflowFields(request)
    await deleteVersionTag(deps, request.actor, f.requiredString('name'), parseVersionNumber(f.requiredString('version')), f.requiredString('key')).catch(
      ignoreMissing('TAG_NOT_FOUND'),
    )
    return {}
  })
}
