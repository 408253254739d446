import type { Logger } from 'pino'
import type { MetadataStore } from '../store/metadata-store'
import type { WebhookSettings } from '../services/webhook-settings'
import { fireDueSchedules } from '../services/schedules.service'
import { attemptDelivery } from './attempt-delivery'

const BATCH = 20
/** how long past its timeout a claimed attempt may run before another instance takes the delivery over */
const LEASE_GRACE_MS = 30_000
const PRUNE_EVERY_MS = 3_600_000

export interface WorkerDeps {
  store: MetadataStore
  clock: () => number
  log: Logger
  settings: WebhookSettings
}

/**
 * Runs in every `canon serve`: each poll fires the schedule ticks that are due, then claims due deliveries and makes one
 * attempt at each. Instances sharing one database coordinate through row claims only, so none needs to know the others.
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = true
  private closing = false
  private prunedAt = 0

  constructor(private readonly deps: WorkerDeps) {}

  start(): void {
    this.stopped = false
    this.schedule(0)
  }

  /** Stops polling and waits for the attempts in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true
    this.closing = true
    clearTimeout(this.timer)
    await this.running
  }

  /** One pass: fire due ticks, then attempt every delivery due now (in batches). */
  async runOnce(): Promise<void> {
    const { store, clock, log, settings } = this.deps
    await fireDueSchedules({ store, clock, log })
    if (clock() - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = clock()
      const pruned = await store.webhooks.prune(this.prunedAt - settings.retentionMs)
      if (pruned > 0) log.info({ pruned }, 'old webhook deliveries deleted')
    }
    for (;;) {
      if (this.closing) return
      const now = clock()
      const claimed = await store.transaction((tx) => tx.webhooks.claimDue(now, BATCH, now + settings.timeoutMs + LEASE_GRACE_MS))
      if (claimed.length === 0) return
      await Promise.all(
        claimed.map((delivery) =>
          attemptDelivery({ store, clock, log }, delivery, settings).catch((error: unknown) => log.error({ err: error, delivery: delivery.id }, 'webhook attempt not recorded')),
        ),
      )
    }
  }

  private schedule(delay: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((error: unknown) => this.deps.log.warn({ err: error }, 'webhook worker pass failed; retrying at the next poll'))
        .finally(() => this.schedule(this.deps.settings.pollMs))
    }, delay)
  }
}
