import type { AuditQuery } from '@canon/api'
import { verifyChain, type ChainCheck } from '../domain/audit-chain'
import type { ServiceDeps } from './context'
import { parseTimestamp } from './cursor'


export async function listAuditEvents(deps: ServiceDeps, query: AuditQuery) {
  const limit = query.limit ?? 100
  const rows = await deps.store.audit.list({
    target: query.target,
    targetPrefix: query.targetPrefix,
    model: query.model,
    actor: query.actor,
    action: query.action,
    since: parseTimestamp(query.since, 'since'),
    until: parseTimestamp(query.until, 'until'),
    afterSeq: query.after,
    limit: limit + 1,
  })
  const page = rows.slice(0, limit)
  return {
    items: page.map((r) => ({
      seq: Number(r.seq),
      at: new Date(Number(r.at)).toISOString(),
      actor: r.actor,
      action: r.action,
      target: r.target,
      before: r.before === null ? null : JSON.parse(r.before),
      after: r.after === null ? null : JSON.parse(r.after),
      reason: r.reason,
      hash: r.hash,
    })),
    nextAfter: rows.length > limit ? Number(page.at(-1)?.seq) : null,
  }
}

/** Re-hashes the whole chain in pages and checks it ends at the recorded head. */
export async function verifyAuditChain(deps: ServiceDeps): Promise<ChainCheck> {
  let prev = 'genesis'
  let seq = 0
  for (;;) {
    const rows = await deps.store.audit.list({ afterSeq: seq, limit: 1000 })
    if (rows.length === 0) break
    const check = verifyChain(rows, prev, seq)
    if (!check.ok) return check
    const last = rows.at(-1)!
    prev = last.hash
    seq = Number(last.seq)
  }
  const head = await deps.store.audit.head()
  if (head.seq !== seq || head.hash !== prev) return { ok: false, events: seq, brokenAt: seq + 1, why: `the chain head records event ${head.seq}, but the events end at ${seq}` }
  return { ok: true, events: seq }
}
