import { CompiledQuery, type Kysely } from 'kysely'
import type { FileEntry } from '@canon/api'
import type { Database } from './database'
import type { DialectName } from './dialect-traits'
import { fixedStatement } from './prepared'
import type { VersionDetails, VersionListRow } from './versions.repo'

// A version's tags, metrics, params, aliases and manifest in one statement: the single-version read path is one round
// trip for all of them instead of five. The JSON functions are the only difference between the two dialects.

/** The five aggregates, correlated to the version `ref` names (a bind, or a column of the outer query). */
function aggregates(dialect: DialectName, ref: string): string {
  if (dialect === 'postgres') {
    return `(select coalesce(json_object_agg(key, value), '{}'::json) from version_tags where version_id = ${ref}) as doc_tags,
      (select coalesce(json_object_agg(key, value), '{}'::json) from version_metrics where version_id = ${ref}) as doc_metrics,
      (select coalesce(json_object_agg(key, value), '{}'::json) from version_params where version_id = ${ref}) as doc_params,
      (select coalesce(json_agg(alias order by alias), '[]'::json) from model_aliases where version_id = ${ref}) as doc_aliases,
      (select coalesce(json_agg(json_build_object('path', path, 'size', size, 'digest', digest) order by path), '[]'::json)
         from version_files where version_id = ${ref}) as doc_files`
  }
  return `(select json_group_object(key, value) from version_tags where version_id = ${ref}) as doc_tags,
      (select json_group_object(key, value) from version_metrics where version_id = ${ref}) as doc_metrics,
      (select json_group_object(key, value) from version_params where version_id = ${ref}) as doc_params,
      (select json_group_array(alias) from (select alias from model_aliases where version_id = ${ref} order by alias)) as doc_aliases,
      (select json_group_array(json_object('path', path, 'size', size, 'digest', digest))
         from (select path, size, digest from version_files where version_id = ${ref} order by path)) as doc_files`
}

const byId: Record<DialectName, string> = {
  postgres: fixedStatement(`select ${aggregates('postgres', '$1')}`),
  sqlite: `select ${aggregates('sqlite', '?1')}`,
}

// the alias read, the hottest of all: row, model name and document in one round trip
const byAlias: Record<DialectName, string> = {
  postgres: fixedStatement(`select v.*, m.name as model_name, ${aggregates('postgres', 'v.id')}
    from model_aliases a join model_versions v on v.id = a.version_id join registered_models m on m.id = v.model_id
    where m.name = $1 and a.alias = $2`),
  sqlite: `select v.*, m.name as model_name, ${aggregates('sqlite', 'v.id')}
    from model_aliases a join model_versions v on v.id = a.version_id join registered_models m on m.id = v.model_id
    where m.name = ? and a.alias = ?`,
}

type Json<T> = T | string

interface DocumentColumns {
  doc_tags: Json<Record<string, string>>
  doc_metrics: Json<Record<string, number>>
  doc_params: Json<Record<string, string>>
  doc_aliases: Json<string[]>
  doc_files: Json<FileEntry[]>
}

/** PostgreSQL hands back parsed JSON, SQLite its text. */
const parsed = <T>(value: Json<T>): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value)

export type VersionDocument = { details: VersionDetails; files: FileEntry[] }

export async function versionDocument(db: Kysely<Database>, dialect: DialectName, id: number): Promise<VersionDocument> {
  const { rows } = await db.executeQuery<DocumentColumns>(CompiledQuery.raw(byId[dialect], [id]))
  return toDocument(id, rows[0]!)
}

/** The version an alias points at, with its document; undefined when the model or the alias does not exist. */
export async function versionByAliasWithDocument(db: Kysely<Database>, dialect: DialectName, model: string, alias: string): Promise<{ row: VersionListRow; document: VersionDocument } | undefined> {
  const { rows } = await db.executeQuery<VersionListRow & DocumentColumns>(CompiledQuery.raw(byAlias[dialect], [model, alias]))
  const found = rows[0]
  if (!found) return undefined
  const { doc_tags, doc_metrics, doc_params, doc_aliases, doc_files, ...row } = found
  return { row, document: toDocument(Number(row.id), { doc_tags, doc_metrics, doc_params, doc_aliases, doc_files }) }
}

function toDocument(id: number, row: DocumentColumns): VersionDocument {
  const aliases = parsed(row.doc_aliases)
  return {
    details: {
      tags: new Map([[id, parsed(row.doc_tags)]]),
      metrics: new Map([[id, parsed(row.doc_metrics)]]),
      params: new Map([[id, parsed(row.doc_params)]]),
      aliases: aliases.length > 0 ? new Map([[id, aliases]]) : new Map(),
    },
    files: parsed(row.doc_files).map((f) => ({ path: f.path, size: Number(f.size), digest: f.digest })),
  }
}
