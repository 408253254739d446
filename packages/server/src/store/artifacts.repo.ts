import type { Kysely } from 'kysely'
import type { Database } from './database'

export interface ArtifactEntry {
  path: string
  digest: string
  size: number
}

/** Proxied artifact paths (relative to `mlflow-artifacts:/`) and the blobs that hold their bytes. */
export class ArtifactsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async put(entry: ArtifactEntry, at: number): Promise<void> {
    await this.db
      .insertInto('artifact_files')
      .values({ ...entry, updated_at: at })
      .onConflict((oc) => oc.column('path').doUpdateSet({ digest: entry.digest, size: entry.size, updated_at: at }))
      .execute()
  }

  async get(path: string): Promise<ArtifactEntry | undefined> {
    return this.db.selectFrom('artifact_files').select(['path', 'digest', 'size']).where('path', '=', path).executeTakeFirst()
  }

  /** Every file below a directory, by a range scan of the primary key ('/' + 1 is '0'). */
  async under(directory: string, limit: number): Promise<ArtifactEntry[]> {
    let query = this.db.selectFrom('artifact_files').select(['path', 'digest', 'size'])
    if (directory) query = query.where('path', '>', `${directory}/`).where('path', '<', `${directory}0`)
    return query.orderBy('path').limit(limit).execute()
  }

  async delete(path: string): Promise<number> {
    const exact = await this.db.deleteFrom('artifact_files').where('path', '=', path).executeTakeFirst()
    const below = await this.db.deleteFrom('artifact_files').where('path', '>', `${path}/`).where('path', '<', `${path}0`).executeTakeFirst()
    return Number(exact.numDeletedRows) + Number(below.numDeletedRows)
  }

  async referencedDigests(digests: string[]): Promise<Set<string>> {
    if (digests.length === 0) return new Set()
    const rows = await this.db.selectFrom('artifact_files').select('digest').distinct().where('digest', 'in', digests).execute()
    return new Set(rows.map((r) => r.digest))
  }
}
