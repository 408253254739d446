import { sql, type SqlBool } from 'kysely'
import { CanonError } from '../domain/errors'
import type { ServiceDeps } from '../services/context'
import { parseExperimentId } from '../services/tracking/experiments.service'
import type { MlflowFields } from './request-fields'
import { maxResults } from './registry-search'
import { compare, keyValueMatches } from './sql-compare'
import { likePattern } from '../store/query-helpers'
import { decodePageToken, encodePageToken, parseExperimentFilter, parseExperimentOrderBy, parseRunFilter, parseRunOrderBy } from './search/index'
import { mlflowExperiment, mlflowRun } from './wire'

/** ACTIVE_ONLY (1), DELETED_ONLY (2) or ALL (3), by name or number; active only when absent. */
function lifecycleView(value: string | undefined): string[] {
  switch ((value ?? 'ACTIVE_ONLY').toUpperCase()) {
    case 'ACTIVE_ONLY':
    case '1':
      return ['active']
    case 'DELETED_ONLY':
    case '2':
      return ['deleted']
    case 'ALL':
    case '3':
      return ['active', 'deleted']
    default:
      throw new CanonError('INVALID_INPUT', `Invalid view type '${value?.slice(0, 30)}': use ACTIVE_ONLY, DELETED_ONLY or ALL.`)
  }
}

const experimentColumn = { name: 'e.name', experiment_id: 'e.id', creation_time: 'e.creation_time', last_update_time: 'e.last_update_time' } as const

export async function searchExperiments(deps: ServiceDeps, f: MlflowFields) {
  const clauses = parseExperimentFilter(f.optionalString('filter'))
  const order = parseExperimentOrderBy(f.stringList('order_by'))
  const limit = maxResults(f, 1000, 50_000)
  const offset = decodePageToken(f.optionalString('page_token'))
  let query = deps.store.db.selectFrom('experiments as e').selectAll('e').where('e.lifecycle_stage', 'in', lifecycleView(f.optionalString('view_type')))
  for (const c of clauses) {
    const column = experimentColumn[c.key as keyof typeof experimentColumn] ?? 'e.name'
    query = query.where(c.kind === 'attribute' ? compare(sql.ref(column), c.comparator, c.value) : keyValueMatches('experiment_tags', 'experiment_id', 'e.id', c))
  }
  for (const term of order) query = query.orderBy(sql.ref(experimentColumn[term.key as keyof typeof experimentColumn] ?? 'e.id'), term.ascending ? 'asc' : 'desc')
  const rows = await query.limit(limit + 1).offset(offset).execute()
  const page = rows.slice(0, limit)
  const tags = await deps.store.experiments.tags(page.map((r) => Number(r.id)))
  return {
    experiments: page.length > 0 ? page.map((r) => mlflowExperiment(r, tags.get(Number(r.id)))) : undefined,
    next_page_token: rows.length > limit ? encodePageToken(offset + limit) : undefined,
  }
}

const runColumn = {
  run_id: 'r.run_id',
  run_name: 'r.run_name',
  user_id: 'r.user_id',
  status: 'r.status',
  artifact_uri: 'r.artifact_uri',
  start_time: 'r.start_time',
  end_time: 'r.end_time',
} as const

const keyedTable = { metric: 'run_latest_metrics', param: 'run_params', tag: 'run_tags' } as const

export async function searchRuns(deps: ServiceDeps, f: MlflowFields) {
  const experimentIds = f.stringList('experiment_ids').map(parseExperimentId)
  const clauses = parseRunFilter(f.optionalString('filter'))
  const order = parseRunOrderBy(f.stringList('order_by'))
  const limit = maxResults(f, 1000, 50_000)
  const offset = decodePageToken(f.optionalString('page_token'))
  if (experimentIds.length === 0) return {}
  let query = deps.store.db
    .selectFrom('runs as r')
    .selectAll('r')
    .where('r.experiment_id', 'in', experimentIds)
    .where('r.lifecycle_stage', 'in', lifecycleView(f.optionalString('run_view_type')))
  for (const c of clauses) {
    if (c.kind === 'attribute') {
      query = query.where(compare(sql.ref(runColumn[c.key as keyof typeof runColumn] ?? 'r.run_id'), c.comparator, c.value))
    } else if (c.kind === 'dataset') {
      query = query.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('run_inputs as i')
            .innerJoin('datasets as d', 'd.id', 'i.dataset_id')
            .select(sql`1`.as('one'))
            .whereRef('i.run_id', '=', 'r.run_id')
            .where(() => {
              if (c.key !== 'context') return compare(sql.ref(c.key === 'digest' ? 'd.digest' : 'd.name'), c.comparator, c.value)
              if (c.comparator !== '=') throw new CanonError('INVALID_INPUT', "datasets.context supports only '='.")
              // the context's own % and _ match literally
              return sql<SqlBool>`i.tags like ${likePattern(JSON.stringify({ key: 'mlflow.data.context', value: c.value }))} escape '\\'`
            }),
        ),
      )
    } else {
      // A NaN metric compares as nothing, rather than as the 0 stored in its place.
      query = query.where(keyValueMatches(keyedTable[c.kind], 'run_id', 'r.run_id', c, c.kind === 'metric' ? sql<SqlBool>`k.is_nan = 0` : undefined))
    }
  }
  for (const term of order) {
    if (term.kind === 'dataset') continue
    const value =
      term.kind === 'attribute'
        ? sql`${sql.ref(runColumn[term.key as keyof typeof runColumn] ?? 'r.start_time')}`
        : sql`(select o.value from ${sql.table(keyedTable[term.kind])} as o where o.run_id = r.run_id and o.key = ${term.key})`
    // As in MLflow, whatever the direction: real values first, then NaN metrics, then runs without the value.
    const rank =
      term.kind === 'metric'
        ? sql`case when ${value} is null then 2 when (select o.is_nan from run_latest_metrics as o where o.run_id = r.run_id and o.key = ${term.key}) = 1 then 1 else 0 end`
        : sql`case when ${value} is null then 1 else 0 end`
    query = query.orderBy(rank, 'asc').orderBy(value, term.ascending ? 'asc' : 'desc')
  }
  const rows = await query.limit(limit).offset(offset).execute()
  const details = await deps.store.runs.details(rows.map((r) => r.run_id))
  return {
    runs: rows.length > 0 ? rows.map((r) => mlflowRun(r, details, { inputs: true })) : undefined,
    // MLflow hands out a token whenever a page is full.
    next_page_token: rows.length === limit ? encodePageToken(offset + limit) : undefined,
  }
}
