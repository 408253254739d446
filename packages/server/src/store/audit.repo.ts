import type { Kysely } from 'kysely'
import type { AuditRow, Database } from './database'
import type { DialectTraits } from './dialect-traits'
import { chainHash, type AuditEntry } from '../domain/audit-chain'
import { enqueueWebhookDeliveries } from './webhook-outbox'
import { WebhooksRepo } from './webhooks.repo'
import { runPrepared } from './prepared'

export interface AuditFilter {
  target?: string
  targetPrefix?: string
  /** a registered model's own events and those of its versions and aliases */
  model?: string
  actor?: string
  action?: string
  since?: number
  until?: number
}

export class AuditRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly traits: DialectTraits,
  ) {}

  /** Appends one event to the hash chain, and its webhook deliveries; must run inside the transaction that made the change it records. */
  async append(entry: AuditEntry): Promise<AuditRow> {
    const [head] = await runPrepared(this.db, this.traits, 'audit.head', ['main'], () => {
      const query = this.db.selectFrom('audit_head').selectAll().where('chain', '=', 'main')
      return this.traits.rowLocks ? query.forUpdate() : query
    })
    if (!head) throw new Error('the audit chain has no head row; migrations have not run')
    const { seq, hash: prevHash } = head
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
    const columns = Object.keys(row) as (keyof AuditRow)[]
    await runPrepared(this.db, this.traits, 'audit.insert', columns.map((c) => row[c]), () => this.db.insertInto('audit_events').values(row))
    await runPrepared(this.db, this.traits, 'audit.moveHead', [row.seq, row.hash, 'main'], () =>
      this.db.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('chain', '=', 'main'),
    )
    // The outbox: webhook deliveries for this change commit (or roll back) with it.
    await enqueueWebhookDeliveries(this.db, new WebhooksRepo(this.db, this.traits), { ...row, before: entry.before, after: entry.after })
    return row
  }

  async list(filter: AuditFilter & { afterSeq?: number; limit: number }): Promise<AuditRow[]> {
    let query = this.db.selectFrom('audit_events').selectAll()
    if (filter.target) query = query.where('target', '=', filter.target)
    if (filter.targetPrefix) query = query.where('target', '>=', filter.targetPrefix).where('target', '<', `${filter.targetPrefix}\uffff`)
    if (filter.model) {
      const model = filter.model
      // A model's history: the model itself, its versions and its aliases.
      query = query.where(({ or, eb }) =>
        or([
          eb('target', '=', `model:${model}`),
          eb.and([eb('target', '>=', `version:${model}/`), eb('target', '<', `version:${model}0`)]),
          eb.and([eb('target', '>=', `alias:${model}@`), eb('target', '<', `alias:${model}A`)]),
        ]),
      )
    }
    if (filter.actor) query = query.where('actor', '=', filter.actor)
    if (filter.action) query = query.where('action', '=', filter.action)
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since)
    if (filter.until !== undefined) query = query.where('at', '<', filter.until)
    if (filter.afterSeq !== undefined) query = query.where('seq', '>', filter.afterSeq)
    return query.orderBy('seq').limit(filter.limit).execute()
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const row = await this.db.selectFrom('audit_head').select(['seq', 'hash']).where('chain', '=', 'main').executeTakeFirstOrThrow()
    return { seq: Number(row.seq), hash: row.hash }
  }
}
