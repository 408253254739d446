import type { Kysely } from 'kysely'
import type { AuditRow, Database } from './database'
import type { DialectTraits } from './dialect-traits'
import { chainHash, type AuditEntry } from '../domain/audit-chain'

export class AuditRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly traits: DialectTraits,
  ) {}

  /** Appends one event to the hash chain; must run inside the transaction that made the change it records. */
  async append(entry: AuditEntry): Promise<AuditRow> {
    let head = this.db.selectFrom('audit_head').selectAll().where('chain', '=', 'main')
    if (this.traits.rowLocks) head = head.forUpdate()
    const { seq, hash: prevHash } = await head.executeTakeFirstOrThrow()
    const row: AuditRow = {
      seq: Number(seq) + 1,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      reason: entry.reason ?? null,
      prev_hash: prevHash,
      hash: '',
    }
    row.hash = chainHash(row)
    await this.db.insertInto('audit_events').values(row).execute()
    await this.db.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('chain', '=', 'main').execute()
    return row
  }

  async list(filter: { target?: string; targetPrefix?: string; afterSeq?: number; limit: number }): Promise<AuditRow[]> {
    let query = this.db.selectFrom('audit_events').selectAll()
    if (filter.target) query = query.where('target', '=', filter.target)
    if (filter.targetPrefix) query = query.where('target', '>=', filter.targetPrefix).where('target', '<', `${filter.targetPrefix}\uffff`)
    if (filter.afterSeq !== undefined) query = query.where('seq', '>', filter.afterSeq)
    return query.orderBy('seq').limit(filter.limit).execute()
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const row = await this.db.selectFrom('audit_head').select(['seq', 'hash']).where('chain', '=', 'main').executeTakeFirstOrThrow()
    return { seq: Number(row.seq), hash: row.hash }
  }
}
