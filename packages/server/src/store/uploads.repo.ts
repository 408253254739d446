import type { Kysely } from 'kysely'
import type { Database } from './database'

export interface UploadSessionRow {
  id: string
  digest: string
  size: number
  partSize: number
  partCount: number
  createdBy: string
  createdAt: number
  expiresAt: number
}

export interface UploadPartRow {
  number: number
  size: number
  digest: string
}

const toSession = (row: Database['upload_sessions']): UploadSessionRow => ({
  id: row.id,
  digest: row.digest,
  size: Number(row.size),
  partSize: Number(row.part_size),
  partCount: Number(row.part_count),
  createdBy: row.created_by,
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
})

/** Resumable upload sessions and the parts each has received. */
export class UploadsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(session: UploadSessionRow): Promise<void> {
    await this.db
      .insertInto('upload_sessions')
      .values({
        id: session.id,
        digest: session.digest,
        size: session.size,
        part_size: session.partSize,
        part_count: session.partCount,
        created_by: session.createdBy,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute()
  }

  async find(id: string): Promise<UploadSessionRow | undefined> {
    const row = await this.db.selectFrom('upload_sessions').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toSession(row)
  }

  /** The newest live session of this owner for this blob, so a client that lost its session id can resume it. */
  async findOpen(owner: string, digest: string, size: number, now: number): Promise<UploadSessionRow | undefined> {
    const row = await this.db
      .selectFrom('upload_sessions')
      .selectAll()
      .where('created_by', '=', owner)
      .where('digest', '=', digest)
      .where('size', '=', size)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .executeTakeFirst()
    return row && toSession(row)
  }

  async parts(id: string): Promise<UploadPartRow[]> {
    const rows = await this.db.selectFrom('upload_parts').select(['number', 'size', 'digest']).where('upload_id', '=', id).orderBy('number').execute()
    return rows.map((r) => ({ number: Number(r.number), size: Number(r.size), digest: r.digest }))
  }

  /** Records a verified part (replacing an earlier copy) and pushes the session's expiry out; false if the session is gone. */
  async recordPart(id: string, part: UploadPartRow, at: number, expiresAt: number): Promise<boolean> {
    const touched = await this.db.updateTable('upload_sessions').set({ expires_at: expiresAt }).where('id', '=', id).executeTakeFirst()
    if (Number(touched.numUpdatedRows) === 0) return false
    const values = { size: part.size, digest: part.digest, received_at: at }
    await this.db
      .insertInto('upload_parts')
      .values({ upload_id: id, number: part.number, ...values })
      .onConflict((oc) => oc.columns(['upload_id', 'number']).doUpdateSet(values))
      .execute()
    return true
  }

  async delete(id: string): Promise<boolean> {
    await this.db.deleteFrom('upload_parts').where('upload_id', '=', id).execute()
    const result = await this.db.deleteFrom('upload_sessions').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async expiredIds(now: number, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('upload_sessions').select('id').where('expires_at', '<=', now).orderBy('expires_at').limit(limit).execute()
    return rows.map((r) => r.id)
  }
}
