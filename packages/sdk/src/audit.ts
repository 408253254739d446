import { paths } from './paths'
import type { Transport } from './transport'
import type { AuditCheck, AuditEvent, AuditPage, AuditQuery } from './types'

export class AuditApi {
  constructor(private readonly http: Transport) {}

  /** One page of events in order; pass `nextAfter` as `after` for the next. */
  list(query: AuditQuery = {}): Promise<AuditPage> {
    return this.http.json('GET', paths.audit(), { query: { ...query } })
  }

  async *iterate(query: Omit<AuditQuery, 'after'> & { after?: number } = {}): AsyncGenerator<AuditEvent> {
    let after = query.after
    for (;;) {
      const page = await this.list({ ...query, after })
      yield* page.items
      if (page.nextAfter === null) return
      after = page.nextAfter
    }
  }

  /** Recomputes the hash chain over every event on the server. */
  verify(): Promise<AuditCheck> {
    return this.http.json('GET', paths.auditVerify())
  }
}
