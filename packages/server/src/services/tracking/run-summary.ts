import type { RunRow } from '../../store/database'
import type { RunDetails } from '../../store/runs.repo'

const iso = (ms: number) => new Date(Number(ms)).toISOString()

/** What both the native run view and a lineage graph's run node say about a run. */
export function runSummary(run: RunRow, details: RunDetails) {
  return {
    name: run.run_name,
    status: run.status,
    user: run.user_id,
    startTime: iso(run.start_time),
    endTime: run.end_time === null ? null : iso(run.end_time),
    durationMs: run.end_time === null ? null : Number(run.end_time) - Number(run.start_time),
    params: details.params.get(run.run_id) ?? {},
    metrics: Object.fromEntries((details.metrics.get(run.run_id) ?? []).filter((m) => !m.is_nan).map((m) => [m.key, m.value])),
  }
}
