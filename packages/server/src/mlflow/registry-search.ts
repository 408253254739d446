import { sql } from 'kysely'
import { CanonError } from '../domain/errors'
import type { ServiceDeps } from '../services/context'
import { modelsByIds } from '../services/models.service'
import { toVersionSummary } from '../services/mappers'
import type { MlflowFields } from './request-fields'
import type { Visibility } from '../domain/permissions'
import { visibleModels } from '../store/visibility-filter'
import { compare, keyValueMatches } from './sql-compare'
import { decodePageToken, encodePageToken, parseModelVersionFilter, parseModelVersionOrderBy, parseRegisteredModelFilter, parseRegisteredModelOrderBy } from './search/index'
import { mlflowRegisteredModel, mlflowVersion } from './wire'
import { latestVersionsOf } from './registry.routes'

export function maxResults(f: MlflowFields, fallback: number, limit: number): number {
  const n = f.optionalInteger('max_results') ?? fallback
  if (n < 1 || n > limit) throw new CanonError('INVALID_INPUT', `Invalid value ${n} for parameter 'max_results' supplied. It must be at most ${limit} and a positive integer.`)
  return n
}

export async function searchRegisteredModels(deps: ServiceDeps, f: MlflowFields, visibility: Visibility) {
  const clauses = parseRegisteredModelFilter(f.optionalString('filter'))
  const order = parseRegisteredModelOrderBy(f.stringList('order_by'))
  const limit = maxResults(f, 100, 1000)
  const offset = decodePageToken(f.optionalString('page_token'))
  let query = deps.store.db.selectFrom('registered_models as m').select('m.id').where(visibleModels(sql.ref('m.name'), visibility))
  for (const c of clauses) {
    query = query.where(c.kind === 'attribute' ? compare(sql.ref('m.name'), c.comparator, c.value) : keyValueMatches('model_tags', 'model_id', 'm.id', c))
  }
  for (const term of order) query = query.orderBy(term.key === 'name' ? 'm.name' : 'm.updated_at', term.ascending ? 'asc' : 'desc')
  const rows = await query.limit(limit + 1).offset(offset).execute()
  const ids = rows.slice(0, limit).map((r) => Number(r.id))
  const [models, latest] = await Promise.all([modelsByIds(deps.store, ids), latestVersionsOf(deps, ids)])
  const items = models.map((m) => mlflowRegisteredModel(m.model, latest.get(m.id) ?? []))
  return {
    registered_models: items.length > 0 ? items : undefined,
    next_page_token: rows.length > limit ? encodePageToken(offset + limit) : undefined,
  }
}

const versionColumn = { name: 'm.name', version_number: 'v.version', creation_timestamp: 'v.created_at', last_updated_timestamp: 'v.updated_at', run_id: 'v.run_id', source_path: 'v.source' } as const

export async function searchModelVersions(deps: ServiceDeps, f: MlflowFields, visibility: Visibility) {
  const clauses = parseModelVersionFilter(f.optionalString('filter'))
  const order = parseModelVersionOrderBy(f.stringList('order_by'))
  // MLflow's default and ceiling; the Python client asks for 10,000.
  const limit = maxResults(f, 200_000, 200_000)
  const offset = decodePageToken(f.optionalString('page_token'))
  let query = deps.store.db
    .selectFrom('model_versions as v')
    .innerJoin('registered_models as m', 'm.id', 'v.model_id')
    .selectAll('v')
    .select('m.name as model_name')
    .where(visibleModels(sql.ref('m.name'), visibility))
  for (const c of clauses) {
    if (c.kind === 'attribute') {
      const column = versionColumn[c.key as keyof typeof versionColumn]
      if (!column) throw new CanonError('INVALID_INPUT', `Invalid attribute key '${c.key}' for searching model versions.`)
      query = query.where(compare(sql.ref(column), c.comparator, c.value))
    } else {
      query = query.where(keyValueMatches('version_tags', 'version_id', 'v.id', c))
    }
  }
  for (const term of order) {
    const column = versionColumn[term.key as keyof typeof versionColumn] ?? 'v.updated_at'
    query = query.orderBy(sql.ref(column), term.ascending ? 'asc' : 'desc')
  }
  const rows = await query.limit(limit + 1).offset(offset).execute()
  const page = rows.slice(0, limit)
  const details = await deps.store.versions.details(page.map((r) => Number(r.id)))
  const items = page.map((r) => mlflowVersion(toVersionSummary(r, details), { aliases: false }))
  return {
    model_versions: items.length > 0 ? items : undefined,
    next_page_token: rows.length > limit ? encodePageToken(offset + limit) : undefined,
  }
}
