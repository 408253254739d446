import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import pino, { type Logger } from 'pino'
import type { CanonConfig } from './config'
import { openBlobStore } from './blobs/open-blob-store'
import { openMetadataStore, type MetadataStore } from './store/metadata-store'
import { buildApp } from './http/app'
import { CANON_VERSION } from './version'
import { bootstrapAdmin } from './services/identities.service'
import { WebhookWorker } from './events/webhook-worker'
import { sweepExpiredUploads } from './services/uploads.service'

export interface RunningServer {
  app: Awaited<ReturnType<typeof buildApp>>
  url: string
  store: MetadataStore
  close(): Promise<void>
}

export function createLogger(config: Pick<CanonConfig, 'logLevel' | 'logPretty'>): Logger {
  if (config.logPretty) return pino({ level: config.logLevel, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } })
  return pino({ level: config.logLevel })
}

/** Opens (and creates or migrates) the metadata store the configuration names. */
export async function openStore(config: CanonConfig): Promise<MetadataStore> {
  if (config.database.kind === 'sqlite') await mkdir(dirname(config.database.file), { recursive: true })
  const options = config.database.kind === 'sqlite' ? config.database : { kind: 'postgres' as const, url: config.database.url, poolSize: config.database.poolSize }
  return openMetadataStore({ ...options, readCacheBytes: config.readCacheBytes })
}

/** Composition root: configuration → stores → services → HTTP. */
export async function startServer(config: CanonConfig, logger: Logger = createLogger(config)): Promise<RunningServer> {
  const store = await openStore(config)
  try {
    const applied = await store.migrate()
    if (applied.length > 0) logger.info({ applied }, 'migrations applied')
    const blobs = await openBlobStore(config.artifacts)
    const deps = { store, blobs, clock: Date.now, log: logger.child({ module: 'services' }), maxBlobBytes: config.maxBlobBytes, webhooks: config.webhooks, uploadTtlMs: config.uploads.ttlMs }
    if (config.auth.enabled) {
      const token = await bootstrapAdmin(deps, config.auth.adminToken)
      // Shown once, on the first start with auth on; only its hash is stored.
      if (token) process.stderr.write(`\nCanon created user 'admin'. Its API token (shown only now):\n\n  ${token}\n\n`)
    }
    const app = await buildApp({ deps, logger, localActor: config.localActor, authEnabled: config.auth.enabled, version: CANON_VERSION })
    await app.listen({ host: config.host, port: config.port })
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : config.port
    const host = config.host.includes(':') ? `[${config.host}]` : config.host
    const url = `http://${host}:${port}`
    // Delivers webhooks and fires schedules; every instance runs one, row claims keep them from doubling up.
    const worker = new WebhookWorker({ store, clock: Date.now, log: logger.child({ module: 'webhooks' }), settings: config.webhooks })
    worker.start()
    // Abandoned resumable uploads go on a timer; several instances sweeping at once only repeat idempotent deletes.
    const sweeper = setInterval(() => {
      sweepExpiredUploads(deps).catch((error: unknown) => logger.warn({ err: error }, 'sweeping abandoned uploads failed'))
    }, config.uploads.sweepIntervalMs).unref()
    logger.info({ url, database: store.traits.name, dataDir: config.dataDir, artifacts: config.artifacts.kind }, 'canon is serving')
    return {
      app,
      url,
      store,
      async close() {
        // In-flight requests get a grace period; keep-alive connections still open after it are cut.
        clearInterval(sweeper)
        await worker.stop()
        const force = setTimeout(() => app.server.closeAllConnections(), 5000).unref()
        await app.close()
        clearTimeout(force)
        await store.close()
      },
    }
  } catch (error) {
    await store.close().catch(() => {})
    throw error
  }
}
