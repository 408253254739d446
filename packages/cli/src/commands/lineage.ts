import type { Command } from 'commander'
import { UsageError } from '../failure'
import type { Comparison, LineageGraph } from '@canon/api'
import { contextOf } from '../context'
import { bytes, table } from '../format'
import { positiveInteger, stage, versionNumber } from '../parse'

interface LineageFlags {
  depth?: number
  dataset?: string
  digest?: string
  stage?: string
  serving?: boolean
  descendants?: boolean
  limit?: number
}

export function registerLineageCommands(program: Command): void {
  program
    .command('lineage')
    .description('where a version came from and where it went; or, with --dataset, which versions were trained on a dataset')
    .argument('[model]', 'model name')
    .argument('[version]', 'version number', versionNumber)
    .option('--depth <n>', 'ancestor/descendant generations to follow (default 3, at most 10)', positiveInteger)
    .option('--descendants', 'list the versions fine-tuned from this one instead')
    .option('--dataset <uri>', 'list the versions trained on this dataset (dataset://name/version or any URI)')
    .option('--digest <digest>', 'with --dataset: only this digest of it')
    .option('--stage <stage>', 'with --dataset: only versions in this stage, e.g. Production', stage)
    .option('--serving', 'with --dataset: only versions that receive traffic')
    .option('--limit <n>', 'with --dataset: at most n versions', positiveInteger)
    .action(async (model: string | undefined, version: number | undefined, flags: LineageFlags, command: Command) => {
      const ctx = contextOf(command)
      if (flags.dataset) {
        const found = await ctx.canon.lineage.datasetConsumers({ uri: flags.dataset, digest: flags.digest, stage: flags.stage, serving: flags.serving, limit: flags.limit })
        if (ctx.json) return ctx.printJson(found)
        if (found.items.length === 0) return ctx.out(`No version ${flags.stage || flags.serving ? 'matching those filters ' : ''}was trained on ${flags.dataset}.\n`)
        return ctx.out(
          table(
            ['MODEL', 'VERSION', 'STAGE', 'SERVING', 'DIGEST', 'ROLE'],
            found.items.map((v) => [v.model, String(v.version), v.stage, v.serving.map((s) => `${s.deployment} ${s.weight}%`).join(', ') || '-', v.dataset.digest, v.dataset.role]),
          ),
        )
      }
      if (!model || !version) throw new UsageError('give a model and a version, or --dataset <uri>.')
      if (flags.descendants) {
        const found = await ctx.canon.lineage.descendants(model, version, { depth: flags.depth })
        if (ctx.json) return ctx.printJson(found)
        if (found.items.length === 0) return ctx.out(`No version was fine-tuned from '${model}' version ${version}.\n`)
        ctx.out(table(['MODEL', 'VERSION', 'PARENT', 'GENERATION', 'STAGE'], found.items.map((d) => [d.model, String(d.version), `${d.parent.model}/${d.parent.version}`, String(d.depth), d.stage])))
        if (found.truncated) ctx.out('(more generations below; raise --depth)\n')
        return
      }
      const graph = await ctx.canon.lineage.graph(model, version, { depth: flags.depth })
      if (ctx.json) return ctx.printJson(graph)
      ctx.out(renderGraph(graph))
    })

  program
    .command('compare')
    .description('compare 2–10 versions of a model: metrics with deltas, params, datasets, code, environment and files')
    .argument('<model>', 'model name')
    .argument('<versions...>', 'version numbers, e.g. 3 4 7')
    .action(async (model: string, raw: string[], _flags: unknown, command: Command) => {
      const ctx = contextOf(command)
      const versions = raw.flatMap((v) => v.split(',')).filter(Boolean)
      const bad = versions.find((v) => !/^[1-9]\d*$/.test(v))
      if (bad !== undefined) throw new UsageError(`'${bad}' is not a version number (1, 2, 3…).`)
      const comparison = await ctx.canon.lineage.compare(model, versions.map(Number))
      if (ctx.json) return ctx.printJson(comparison)
      ctx.out(renderComparison(comparison))
    })
}

function renderGraph(graph: LineageGraph): string {
  const label = new Map(graph.nodes.map((n) => [n.id, `${n.kind} ${n.label}`]))
  const lines = [`${label.get(graph.root)}`]
  const upstream = graph.edges.filter((e) => e.from === graph.root)
  const downstream = graph.edges.filter((e) => e.to === graph.root)
  for (const e of upstream) lines.push(`  ${e.kind.padEnd(16)} → ${label.get(e.to)}${detail(graph, e.to)}`)
  for (const e of downstream) lines.push(`  ${(e.kind === 'serves' ? 'served by' : 'parent of').padEnd(16)} ← ${label.get(e.from)}${detail(graph, e.from)}`)
  const further = graph.edges.filter((e) => e.from !== graph.root && e.to !== graph.root)
  if (further.length > 0) {
    lines.push('further:')
    for (const e of further) lines.push(`  ${label.get(e.from)} ${e.kind} ${label.get(e.to)}`)
  }
  return `${lines.join('\n')}\n`
}

function detail(graph: LineageGraph, id: string): string {
  const node = graph.nodes.find((n) => n.id === id)
  if (!node) return ''
  const d = node.data
  if (node.kind === 'dataset') return ` (${d.uri} @ ${d.digest})`
  if (node.kind === 'code') return ` (${[d.repository, d.branch, d.dirty ? 'dirty' : null].filter(Boolean).join(', ')})`
  if (node.kind === 'environment') return ` (${[(d.packages as string[] | undefined)?.length ? `${(d.packages as string[]).length} packages` : null, ...Object.entries((d.runtime as Record<string, string>) ?? {}).map(([k, v]) => `${k} ${v}`)].filter(Boolean).join(', ')})`
  if (node.kind === 'run') return ` (${d.status ?? 'external'}${d.durationMs ? `, ${Math.round(Number(d.durationMs) / 1000)} s` : ''})`
  if (node.kind === 'deployment') return ` (${d.weight}%${d.archivedButServing ? ', version archived but still serving' : ''})`
  if (node.kind === 'version') return ` (${d.stage ?? (d.deleted ? 'deleted' : '')})`
  return ''
}

const cell = (value: unknown) => (value === null || value === undefined ? '-' : String(value))
const signed = (n: number | null) => (n === null ? '' : ` (${n >= 0 ? '+' : ''}${Number(n.toPrecision(4))})`)

function renderComparison(c: Comparison): string {
  const head = c.versions.map((v) => `v${v}`)
  const parts: string[] = []
  parts.push(
    table(
      ['', ...head],
      [
        ['stage', ...c.overview.map((o) => o.stage)],
        ['approval', ...c.overview.map((o) => o.approval)],
        ['size', ...c.overview.map((o) => bytes(o.totalSize))],
        ['files', ...c.overview.map((o) => String(o.fileCount))],
        ['training', ...c.overview.map((o) => (o.trainingDurationMs === null ? '-' : `${Math.round(o.trainingDurationMs / 1000)} s`))],
        ['commit', ...c.overview.map((o) => cell(o.codeCommit?.slice(0, 12)))],
      ],
    ),
  )
  if (c.metrics.length > 0) {
    const production = c.productionVersion === null ? [] : [`Production v${c.productionVersion}`]
    parts.push(
      'Metrics (Δ against the first version):\n' +
        table(
          ['METRIC', ...head, ...production],
          c.metrics.map((m) => [m.key, ...m.values.map((v, i) => (v === null ? '-' : `${v}${i === 0 ? '' : signed(m.deltaVsFirst[i] ?? null)}`)), ...(c.productionVersion === null ? [] : [cell(m.production)])]),
        ),
    )
  }
  if (c.params.changed.length > 0) parts.push('Params that differ:\n' + table(['PARAM', ...head], c.params.changed.map((p) => [p.key, ...p.values.map(cell)])))
  if (c.params.unchanged.length > 0) parts.push(`Params the same: ${c.params.unchanged.map((p) => `${p.key}=${p.value}`).join(', ')}\n`)
  if (c.datasets.length > 0) parts.push('Datasets:\n' + table(['DATASET', 'DIGEST', ...head], c.datasets.map((d) => [d.uri, d.digest, ...d.usedBy.map((u) => (u ? 'yes' : '-'))])))
  const code = c.code.filter((f) => !f.same)
  if (code.length > 0) parts.push('Code that differs:\n' + table(['FIELD', ...head], code.map((f) => [f.field, ...f.values.map(cell)])))
  if (c.environment.changed.length > 0) parts.push('Environment that differs:\n' + table(['KEY', ...head], c.environment.changed.map((e) => [e.key, ...e.values.map(cell)])))
  const files = c.files.filter((f) => f.status !== 'same')
  parts.push(files.length === 0 ? 'Files: identical.\n' : 'Files that differ (against the first version):\n' + table(['PATH', 'STATUS', ...head], files.map((f) => [f.path, f.status, ...f.sizes.map((s) => (s === null ? '-' : bytes(s)))])))
  return parts.join('\n')
}
