import { createHash } from 'node:crypto'

export interface AuditEntry {
  at: number
  actor: string
  action: string
  /** what changed, e.g. `model:churn`, `version:churn/3`, `blob:sha256:…` */
  target: string
  before?: unknown
  after?: unknown
  reason?: string | null
}

export interface ChainedEvent {
  seq: number
  at: number
  actor: string
  action: string
  target: string
  before: string | null
  after: string | null
  reason: string | null
  prev_hash: string
}

/** Each event's hash covers its content and the previous hash, so editing or removing any event breaks every later link. */
export function chainHash(event: ChainedEvent): string {
  const canonical = JSON.stringify([event.seq, event.at, event.actor, event.action, event.target, event.before, event.after, event.reason, event.prev_hash])
  return createHash('sha256').update(canonical).digest('hex')
}

export type ChainCheck = { ok: true; events: number } | { ok: false; events: number; brokenAt: number; why: string }

/** Walks events in sequence order; `expectedPrev` is the hash the first event must link to. */
export function verifyChain(events: (ChainedEvent & { hash: string })[], expectedPrev: string, expectedSeq: number): ChainCheck {
  let prev = expectedPrev
  let seq = expectedSeq
  for (const event of events) {
    if (Number(event.seq) !== seq + 1) return { ok: false, events: seq, brokenAt: Number(event.seq), why: `event ${seq + 1} is missing` }
    if (event.prev_hash !== prev) return { ok: false, events: seq, brokenAt: Number(event.seq), why: 'link to the previous event does not match' }
    if (chainHash(event) !== event.hash) return { ok: false, events: seq, brokenAt: Number(event.seq), why: 'content does not match its hash' }
    prev = event.hash
    seq = Number(event.seq)
  }
  return { ok: true, events: seq }
}
