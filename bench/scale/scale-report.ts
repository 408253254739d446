import type { PhaseResult } from '../lib/measure'

export interface ScaleStep {
  versions: number
  seedSeconds: number
  insertSeconds: number
  phases: PhaseResult[]
}

export interface ScaleRun {
  backend: string
  steps: ScaleStep[]
  /** sizes not measured, and why */
  skipped: string[]
}

const f = (n: number, digits = 1) => n.toFixed(digits)
const k = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n))
const cpuPerRequestMs = (p: PhaseResult) => (p.serverCpuPct / 100 / Math.max(p.reqPerSec, 1e-9)) * 1000

/** One row per request kind: p50 / p99 and server CPU per request at every size, and the growth from smallest to largest. */
export function growthTable(run: ScaleRun): string {
  const steps = run.steps
  if (steps.length === 0) return `### ${run.backend}\n\nnothing measured. ${run.skipped.join('; ')}\n`
  const head = `| request | ${steps.map((s) => `${k(s.versions)} p50 / p99 ms`).join(' | ')} | ${steps.map((s) => `${k(s.versions)} CPU ms/req`).join(' | ')} | growth p50 ${k(steps[0]!.versions)}→${k(steps.at(-1)!.versions)} | growth CPU/req |`
  const rule = `| --- | ${steps.map(() => '---:').join(' | ')} | ${steps.map(() => '---:').join(' | ')} | ---: | ---: |`
  const rows = steps[0]!.phases.map((first, i) => {
    const cells = steps.map((s) => s.phases[i]!)
    const last = cells.at(-1)!
    return `| ${first.name} | ${cells.map((p) => `${f(p.p50Ms, 2)} / ${f(p.p99Ms, 2)}`).join(' | ')} | ${cells.map((p) => f(cpuPerRequestMs(p), 2)).join(' | ')} | ×${f(last.p50Ms / Math.max(first.p50Ms, 0.01), 1)} | ×${f(cpuPerRequestMs(last) / cpuPerRequestMs(first), 1)} |`
  })
  const seed = steps.map((s) => `${k(s.versions)}: ${f(s.seedSeconds, 1)} s (inserts ${f(s.insertSeconds, 1)} s)`).join('; ')
  const noise = steps.map((s) => `${k(s.versions)}: ${f(Math.max(...s.phases.map((p) => p.otherCpuPct)), 0)}%`).join('; ')
  const rps = steps.map((s) => `${k(s.versions)}: ${s.phases.map((p) => f(p.reqPerSec, 0)).join(' / ')}`).join('; ')
  return [
    `### ${run.backend}\n`,
    head,
    rule,
    ...rows,
    '',
    `- seeding (cumulative steps, bulk SQL, then ANALYZE): ${seed}`,
    `- req/s per request kind in table order: ${rps}`,
    `- noise, max CPU of other processes during a phase (% of one core): ${noise}`,
    ...(run.skipped.length > 0 ? [`- not measured: ${run.skipped.join('; ')}`] : []),
    '',
  ].join('\n')
}

/** alias p99 < 5 ms and filtered search p50 < 50 ms at the largest size each backend reached. */
export function targetLines(runs: ScaleRun[]): string[] {
  return runs.flatMap((run) => {
    const last = run.steps.at(-1)
    if (!last) return [`- ${run.backend}: not measured`]
    const alias = last.phases.find((p) => p.name.startsWith('alias'))!
    const search = last.phases.find((p) => p.name.startsWith('search'))!
    return [
      `- ${run.backend} at ${k(last.versions)}: alias p99 ${f(alias.p99Ms, 2)} ms (target < 5 ms: ${alias.p99Ms < 5 ? 'met' : 'MISSED'}); filtered search p50 ${f(search.p50Ms, 2)} ms (target < 50 ms: ${search.p50Ms < 50 ? 'met' : 'MISSED'})`,
    ]
  })
}
