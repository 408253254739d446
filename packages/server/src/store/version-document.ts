import { CompiledQuery, type Kysely } from 'kysely'
import type { FileEntry } from '@canon/api'
import type { Database } from './database'
import type { DialectName } from './dialect-traits'
import type { VersionDetails } from './versions.repo'

// A version's tags, metrics, params, aliases and manifest in one statement: the single-version read path is one round
// trip for all of them instead of five. The JSON functions are the only difference between the two dialects.

const SQL: Record<DialectName, { text: string; binds: number }> = {
  postgres: {
    text: `select
      (select coalesce(json_object_agg(key, value), '{}'::json) from version_tags where version_id = $1) as tags,
      (select coalesce(json_object_agg(key, value), '{}'::json) from version_metrics where version_id = $1) as metrics,
      (select coalesce(json_object_agg(key, value), '{}'::json) from version_params where version_id = $1) as params,
      (select coalesce(json_agg(alias order by alias), '[]'::json) from model_aliases where version_id = $1) as aliases,
      (select coalesce(json_agg(json_build_object('path', path, 'size', size, 'digest', digest) order by path), '[]'::json)
         from version_files where version_id = $1) as files`,
    binds: 1,
  },
  sqlite: {
    text: `select
      (select json_group_object(key, value) from version_tags where version_id = ?) as tags,
      (select json_group_object(key, value) from version_metrics where version_id = ?) as metrics,
      (select json_group_object(key, value) from version_params where version_id = ?) as params,
      (select json_group_array(alias) from (select alias from model_aliases where version_id = ? order by alias)) as aliases,
      (select json_group_array(json_object('path', path, 'size', size, 'digest', digest))
         from (select path, size, digest from version_files where version_id = ? order by path)) as files`,
    binds: 5,
  },
}

type Json<T> = T | string

interface DocumentRow {
  tags: Json<Record<string, string>>
  metrics: Json<Record<string, number>>
  params: Json<Record<string, string>>
  aliases: Json<string[]>
  files: Json<FileEntry[]>
}

/** PostgreSQL hands back parsed JSON, SQLite its text. */
const parsed = <T>(value: Json<T>): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value)

export async function versionDocument(db: Kysely<Database>, dialect: DialectName, id: number): Promise<{ details: VersionDetails; files: FileEntry[] }> {
  const { text, binds } = SQL[dialect]
  const { rows } = await db.executeQuery<DocumentRow>(CompiledQuery.raw(text, Array.from({ length: binds }, () => id)))
  const row = rows[0]!
  const aliases = parsed(row.aliases)
  return {
    details: {
      tags: new Map([[id, parsed(row.tags)]]),
      metrics: new Map([[id, parsed(row.metrics)]]),
      params: new Map([[id, parsed(row.params)]]),
      aliases: aliases.length > 0 ? new Map([[id, aliases]]) : new Map(),
    },
    files: parsed(row.files).map((f) => ({ path: f.path, size: Number(f.size), digest: f.digest })),
  }
}
