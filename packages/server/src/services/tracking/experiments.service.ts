import { CanonError } from '../../domain/errors'
import type { ExperimentRow } from '../../store/database'
import { isUniqueViolation } from '../../store/dialect-errors'
import type { Repos } from '../../store/metadata-store'
import type { Actor, ServiceDeps } from '../context'

export const DEFAULT_ARTIFACT_ROOT = 'mlflow-artifacts:'

const exists = (name: string) => new CanonError('EXPERIMENT_EXISTS', `Experiment(name=${name}) already exists.`, { name })
export const experimentNotFound = (id: string) => new CanonError('EXPERIMENT_NOT_FOUND', `No Experiment with id=${id} exists`, { experimentId: id })

function checkExperimentName(name: string): string {
  if (!name || name.length > 500) throw new CanonError('INVALID_INPUT', 'Experiment names are 1 to 500 characters long.')
  return name
}

function checkArtifactLocation(location: string): string {
  if (location.split(/[/\\]/).includes('..') || location.includes('\0') || /[?#]/.test(location)) {
    throw new CanonError('INVALID_INPUT', `Artifact location '${location.slice(0, 200)}' may not contain '..', '?', '#' or NUL.`)
  }
  return location
}

/** Experiment ids travel as strings; anything that is not a non-negative integer names no experiment. */
export function parseExperimentId(id: string): number {
  if (id === '') return 0
  if (!/^\d{1,15}$/.test(id)) throw experimentNotFound(id.slice(0, 64))
  return Number(id)
}

export async function createExperiment(
  deps: ServiceDeps,
  actor: Actor,
  input: { name: string; artifactLocation?: string; tags?: { key: string; value: string }[] },
): Promise<ExperimentRow> {
  const name = checkExperimentName(input.name)
  const custom = input.artifactLocation ? checkArtifactLocation(input.artifactLocation.replace(/\/+$/, '')) : undefined
  const at = deps.clock()
  return deps.store
    .transaction(async (tx) => {
      if (await tx.experiments.byName(name)) throw exists(name)
      const row = await tx.experiments.insert({ name, at, artifactLocation: (id) => custom ?? `${DEFAULT_ARTIFACT_ROOT}/${id}` })
      for (const tag of input.tags ?? []) await tx.experiments.setTag(row.id, tag.key, tag.value)
      await tx.audit.append({ at, actor: actor.name, action: 'experiment.create', target: `experiment:${row.id}`, after: { name, artifactLocation: row.artifact_location } })
      return row
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? exists(name) : error
    })
}

export async function getExperiment(store: Repos, id: string): Promise<ExperimentRow> {
  const row = await store.experiments.byId(parseExperimentId(id))
  if (!row) throw experimentNotFound(id)
  return row
}

export async function getExperimentByName(store: Repos, name: string): Promise<ExperimentRow> {
  const row = await store.experiments.byName(name)
  if (!row) throw new CanonError('EXPERIMENT_NOT_FOUND', `Could not find experiment with name '${name.slice(0, 200)}'`, { name: name.slice(0, 200) })
  return row
}

export async function renameExperiment(deps: ServiceDeps, actor: Actor, id: string, newName: string): Promise<void> {
  checkExperimentName(newName)
  const at = deps.clock()
  await deps.store
    .transaction(async (tx) => {
      const row = await getExperiment(tx, id)
      if (row.lifecycle_stage !== 'active') throw new CanonError('INVALID_STATE', `Cannot rename a non-active experiment (id=${id}).`)
      if (row.name !== newName && (await tx.experiments.byName(newName))) throw exists(newName)
      await tx.experiments.update(row.id, { name: newName, at })
      await tx.audit.append({ at, actor: actor.name, action: 'experiment.rename', target: `experiment:${row.id}`, before: { name: row.name }, after: { name: newName } })
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? exists(newName) : error
    })
}

/** Deleting marks the experiment and its runs deleted; restoring brings both back. */
export async function setExperimentLifecycle(deps: ServiceDeps, actor: Actor, id: string, stage: 'active' | 'deleted'): Promise<void> {
  const at = deps.clock()
  await deps.store.transaction(async (tx) => {
    const row = await getExperiment(tx, id)
    const expected = stage === 'deleted' ? 'active' : 'deleted'
    if (row.lifecycle_stage !== expected) throw new CanonError('EXPERIMENT_NOT_FOUND', `No ${expected} experiment with id=${id} exists.`, { experimentId: id })
    if (row.id === 0 && stage === 'deleted') throw new CanonError('INVALID_STATE', 'The Default experiment (id=0) cannot be deleted.')
    await tx.experiments.update(row.id, { lifecycle_stage: stage, at })
    await tx.runs.setLifecycleOfExperiment(row.id, stage, stage === 'deleted' ? at : null)
    await tx.audit.append({ at, actor: actor.name, action: stage === 'deleted' ? 'experiment.delete' : 'experiment.restore', target: `experiment:${row.id}` })
  })
}

export async function setExperimentTag(deps: ServiceDeps, id: string, key: string, value: string): Promise<void> {
  if (!key) throw new CanonError('INVALID_INPUT', 'Tag keys cannot be empty.')
  await deps.store.transaction(async (tx) => {
    const row = await getExperiment(tx, id)
    if (row.lifecycle_stage !== 'active') throw new CanonError('INVALID_STATE', `Experiment ${id} is deleted; restore it before tagging.`)
    await tx.experiments.setTag(row.id, key, value)
  })
}
