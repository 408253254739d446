import { Limits, type DatasetConsumers, type Descendants, type LineageGraph, type LineageNode, type VersionRef } from '@canon/api'
import { CanonError } from '../domain/errors'
import type { Repos } from '../store/metadata-store'
import type { ServingRow } from '../store/lineage.repo'
import type { VersionLineageRow } from '../store/lineage-tables'
import type { ServiceDeps } from './context'
import { decodeCursor, encodeCursor } from './cursor'
import { findVersionRow } from './versions.service'
import { runSummary } from './tracking/run-summary'

const iso = (ms: number) => new Date(Number(ms)).toISOString()
const DEFAULT_DEPTH = 3
/** a graph never grows past this many version nodes, however bushy the family */
const MAX_RELATIVES = 200
const HISTORY_KEYS = 20
const HISTORY_POINTS = 500

/** Everything upstream of a version (run, experiment, datasets, code, environment, ancestors) and downstream (descendants, deployments). */
export async function lineageGraph(
  deps: Pick<ServiceDeps, 'store'>,
  modelName: string,
  version: number,
  options: { depth?: number; canRead?: (model: string) => boolean } = {},
): Promise<LineageGraph> {
  const depth = options.depth ?? DEFAULT_DEPTH
  const { store } = deps
  const row = await findVersionRow(store, modelName, version)
  const rootId = versionNodeId(modelName, version)
  const graph = new GraphBuilder(rootId)
  graph.node({ id: rootId, kind: 'version', label: `${modelName} v${version}`, data: { model: modelName, version, stage: row.stage, approval: row.approval_status, createdAt: iso(row.created_at), createdBy: row.created_by, source: row.source } })

  const versionId = Number(row.id)
  const [lineage, datasets, serving] = await Promise.all([store.lineage.ofVersion(versionId), store.lineage.datasetsOf([versionId]), store.lineage.servingOf([versionId])])

  if (row.run_id) await addRun(store, graph, rootId, row.run_id)
  for (const d of datasets) {
    const id = `dataset:${d.dataset_id}`
    graph.node({ id, kind: 'dataset', label: d.name, data: { uri: d.uri, digest: d.digest, name: d.name } })
    graph.edge(rootId, id, d.role === 'training' ? 'trained_on' : `${d.role}_on`)
  }
  if (lineage) addCodeAndEnvironment(graph, rootId, versionId, lineage)
  for (const s of serving) addDeployment(graph, rootId, s, row.stage)

  const truncated = (await addAncestors(store, graph, rootId, lineage, depth)) || (await addDescendants(store, graph, Number(row.model_id), modelName, version, depth))
  if (truncated) graph.truncated = true
  return graph.build(options.canRead)
}

class GraphBuilder {
  private readonly nodes = new Map<string, LineageNode>()
  private readonly edges = new Map<string, { from: string; to: string; kind: string }>()
  truncated = false
  constructor(private readonly root: string) {}
  node(node: LineageNode) {
    if (!this.nodes.has(node.id)) this.nodes.set(node.id, node)
  }
  edge(from: string, to: string, kind: string) {
    this.edges.set(`${from}|${to}|${kind}`, { from, to, kind })
  }
  /** Relatives in models the caller may not read are left out, with their edges. */
  build(canRead: (model: string) => boolean = () => true): LineageGraph {
    const nodes = [...this.nodes.values()].filter((n) => n.id === this.root || n.kind !== 'version' || canRead(String(n.data.model)))
    const kept = new Set(nodes.map((n) => n.id))
    const graph: LineageGraph = { root: this.root, nodes, edges: [...this.edges.values()].filter((e) => kept.has(e.from) && kept.has(e.to)) }
    if (this.truncated) graph.nodes[0]!.data.truncated = true
    return graph
  }
}

const versionNodeId = (model: string, version: number) => `version:${model}/${version}`

async function addRun(store: Repos, graph: GraphBuilder, rootId: string, runId: string): Promise<void> {
  const id = `run:${runId}`
  const run = await store.runs.byId(runId)
  if (!run) {
    // a run tracked by another system: still a node, with what the version says about it
    graph.node({ id, kind: 'run', label: runId, data: { runId, tracked: false } })
    graph.edge(rootId, id, 'produced_by')
    return
  }
  const details = await store.runs.details([runId])
  const metrics = details.metrics.get(runId) ?? []
  const history: Record<string, { step: number; value: number; timestamp: number }[]> = {}
  const points = await store.runs.metricHistories(runId, metrics.slice(0, HISTORY_KEYS).map((m) => m.key), HISTORY_POINTS)
  for (const p of points) (history[p.key] ??= []).push({ step: Number(p.step), value: p.value, timestamp: Number(p.timestamp) })
  graph.node({
    id,
    kind: 'run',
    label: run.run_name,
    data: {
      runId,
      tracked: true,
      ...runSummary(run, details),
      metricHistory: history,
    },
  })
  graph.edge(rootId, id, 'produced_by')
  const experiment = await store.experiments.byId(Number(run.experiment_id))
  if (experiment) {
    const experimentId = `experiment:${experiment.id}`
    graph.node({ id: experimentId, kind: 'experiment', label: experiment.name, data: { experimentId: String(experiment.id), name: experiment.name } })
    graph.edge(id, experimentId, 'part_of')
  }
}

function addCodeAndEnvironment(graph: GraphBuilder, rootId: string, versionId: number, lineage: VersionLineageRow): void {
  if (lineage.code_commit || lineage.code_repository || lineage.code_entry_point || lineage.code_branch) {
    const id = `code:${versionId}`
    const label = [lineage.code_repository?.replace(/\.git$/, '').split(/[/:]/).at(-1), lineage.code_commit?.slice(0, 12)].filter(Boolean).join('@') || 'code'
    graph.node({ id, kind: 'code', label, data: codeOf(lineage) })
    graph.edge(rootId, id, 'built_from')
  }
  if (lineage.env_image || lineage.env_runtime || lineage.env_packages) {
    const id = `environment:${versionId}`
    const env = environmentOf(lineage)
    graph.node({ id, kind: 'environment', label: env.image ?? 'environment', data: env })
    graph.edge(rootId, id, 'runs_in')
  }
}

export function codeOf(l: VersionLineageRow | undefined) {
  return {
    repository: l?.code_repository ?? null,
    commit: l?.code_commit ?? null,
    branch: l?.code_branch ?? null,
    dirty: l?.code_dirty === null || l?.code_dirty === undefined ? null : Boolean(l.code_dirty),
    entryPoint: l?.code_entry_point ?? null,
  }
}

export function environmentOf(l: VersionLineageRow | undefined): { image: string | null; runtime: Record<string, string>; packages: string[] } {
  return {
    image: l?.env_image ?? null,
    runtime: l?.env_runtime ? (JSON.parse(l.env_runtime) as Record<string, string>) : {},
    packages: l?.env_packages ? (JSON.parse(l.env_packages) as string[]) : [],
  }
}

function addDeployment(graph: GraphBuilder, versionNode: string, s: ServingRow, stage: string): void {
  const id = `deployment:${s.deployment}`
  graph.node({ id, kind: 'deployment', label: `${s.deployment} (${s.environment})`, data: { name: s.deployment, environment: s.environment, weight: Number(s.weight), archivedButServing: stage === 'Archived' } })
  graph.edge(id, versionNode, 'serves')
}

/** Walks parents up to `depth` hops; returns true when it stopped early. */
async function addAncestors(store: Repos, graph: GraphBuilder, rootId: string, lineage: VersionLineageRow | undefined, depth: number): Promise<boolean> {
  let child = rootId
  let current = lineage
  for (let hop = 0; hop < depth; hop++) {
    if (!current?.parent_model_id || !current.parent_version) return false
    const model = await store.models.byId(Number(current.parent_model_id))
    const number = Number(current.parent_version)
    const name = model?.name ?? `#${current.parent_model_id}`
    const id = versionNodeId(name, number)
    const row = model ? await store.versions.find(model.id, number) : undefined
    graph.node({
      id,
      kind: 'version',
      label: `${name} v${number}`,
      data: row ? { model: name, version: number, stage: row.stage, approval: row.approval_status, createdAt: iso(row.created_at) } : { model: name, version: number, deleted: true },
    })
    graph.edge(child, id, 'fine_tuned_from')
    if (!row) return false
    child = id
    current = await store.lineage.ofVersion(Number(row.id))
  }
  return Boolean(current?.parent_model_id)
}

/** Breadth-first over children up to `depth` hops; returns true when a bound cut the walk short. */
async function addDescendants(store: Repos, graph: GraphBuilder, modelId: number, modelName: string, version: number, depth: number): Promise<boolean> {
  const found = await descendantsOf(store, modelId, modelName, version, depth)
  for (const d of found.items) {
    const id = versionNodeId(d.model, d.version)
    graph.node({ id, kind: 'version', label: `${d.model} v${d.version}`, data: { model: d.model, version: d.version, stage: d.stage, approval: d.approval, createdAt: d.createdAt } })
    graph.edge(id, versionNodeId(d.parent.model, d.parent.version), 'fine_tuned_from')
  }
  return found.truncated
}

async function descendantsOf(store: Repos, modelId: number, modelName: string, version: number, depth: number): Promise<Descendants> {
  const items: Descendants['items'] = []
  const names = new Map<number, string>([[modelId, modelName]])
  let frontier = [{ modelId, version }]
  let truncated = false
  for (let hop = 1; hop <= depth && frontier.length > 0; hop++) {
    const children = await store.lineage.children(frontier, MAX_RELATIVES - items.length + 1)
    if (items.length + children.length > MAX_RELATIVES) {
      truncated = true
      children.length = MAX_RELATIVES - items.length
    }
    const serving = await servingMap(store, children.map((c) => Number(c.version_id)))
    for (const c of children) {
      names.set(Number(c.model_id), c.model_name)
      items.push({
        ...versionRef({ ...c, version_id: Number(c.version_id) }, serving),
        parent: { model: names.get(Number(c.parent_model_id)) ?? `#${c.parent_model_id}`, version: Number(c.parent_version) },
        depth: hop,
      })
    }
    frontier = children.map((c) => ({ modelId: Number(c.model_id), version: Number(c.version) }))
    if (hop === depth && frontier.length > 0 && (await store.lineage.children(frontier, 1)).length > 0) truncated = true
    if (truncated) break
  }
  return { items, truncated }
}

/** Versions fine-tuned from this one, and from those, up to `depth` generations. */
export async function descendants(deps: Pick<ServiceDeps, 'store'>, modelName: string, version: number, depth = DEFAULT_DEPTH): Promise<Descendants> {
  const row = await findVersionRow(deps.store, modelName, version)
  return descendantsOf(deps.store, Number(row.model_id), modelName, version, depth)
}

type ConsumerCursor = { id: number }

/** Which versions consumed a dataset (any digest, or one), optionally only those in a stage or receiving traffic. */
export async function datasetConsumers(
  deps: Pick<ServiceDeps, 'store'>,
  query: { uri: string; digest?: string; stage?: string; serving?: boolean; limit?: number; cursor?: string },
): Promise<DatasetConsumers> {
  const datasets = await deps.store.lineage.datasetsByUri(query.uri, query.digest)
  if (datasets.length === 0) {
    const which = query.digest ? `'${query.uri.slice(0, 300)}' with digest '${query.digest.slice(0, 100)}'` : `'${query.uri.slice(0, 300)}'`
    throw new CanonError('DATASET_NOT_FOUND', `No version records dataset ${which}.`, { uri: query.uri.slice(0, 300) })
  }
  const limit = query.limit ?? Limits.defaultPageSize
  const after = query.cursor ? decodeCursor(query.cursor, (c: unknown): c is ConsumerCursor => Number.isSafeInteger((c as ConsumerCursor)?.id)) : undefined
  const rows = await deps.store.lineage.consumers(
    datasets.map((d) => Number(d.id)),
    { stage: query.stage, servingOnly: query.serving, afterVersionId: after?.id, limit: limit + 1 },
  )
  const page = rows.slice(0, limit)
  const serving = await servingMap(deps.store, page.map((r) => Number(r.version_id)))
  const last = page.at(-1)
  return {
    datasets: datasets.map((d) => ({ uri: d.uri, digest: d.digest, name: d.name })),
    items: page.map((r) => ({ ...versionRef({ ...r, version_id: Number(r.version_id) }, serving), dataset: { uri: r.uri, digest: r.digest, role: r.role } })),
    nextCursor: rows.length > limit && last ? encodeCursor({ id: Number(last.version_id) }) : null,
  }
}

async function servingMap(store: Repos, versionIds: number[]): Promise<Map<number, ServingRow[]>> {
  const map = new Map<number, ServingRow[]>()
  for (const s of await store.lineage.servingOf(versionIds)) map.set(Number(s.version_id), [...(map.get(Number(s.version_id)) ?? []), s])
  return map
}

function versionRef(
  r: { version_id: number; model_name: string; version: number; stage: string; approval_status: string; created_at: number },
  serving: Map<number, ServingRow[]>,
): VersionRef {
  return {
    model: r.model_name,
    version: Number(r.version),
    stage: r.stage,
    approval: r.approval_status,
    createdAt: iso(r.created_at),
    serving: (serving.get(r.version_id) ?? []).map((s) => ({ deployment: s.deployment, environment: s.environment, weight: Number(s.weight) })),
  }
}

