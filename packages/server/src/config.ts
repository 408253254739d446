import { userInfo } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import type { WebhookSettings } from './services/webhook-settings'
import { ConfigError } from './config-error'
import { artifactsConfig, uploadsConfig, type ArtifactsConfig, type UploadsConfig } from './storage-config'

export { ConfigError }

export interface CanonConfig {
  readonly host: string
  readonly port: number
  readonly dataDir: string
  readonly database: { kind: 'sqlite'; file: string; synchronous: 'NORMAL' | 'FULL' } | { kind: 'postgres'; url: string; poolSize: number }
  readonly blobDir: string
  /** where blobs live: the data directory (blobDir), another directory, or an S3 bucket */
  readonly artifacts: ArtifactsConfig
  readonly uploads: UploadsConfig
  readonly logLevel: string
  readonly logPretty: boolean
  readonly maxBlobBytes: number
  /** bytes of answers the read cache may keep (SQLite); 0 turns it off */
  readonly readCacheBytes: number
  /** the actor of every request while auth is off (single-user mode) */
  readonly localActor: string
  readonly auth: { enabled: boolean; adminToken?: string }
  /** webhook delivery: poll interval, per-attempt timeout, retries and backoff (CANON_WEBHOOK_*) */
  readonly webhooks: WebhookSettings
}

/** Settings given as `canon serve` flags; each falls back to its environment variable, then to the default. */
export interface ConfigOverrides {
  host?: string
  port?: string | number
  dataDir?: string
  databaseUrl?: string
  logLevel?: string
  auth?: string
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/

/** Builds the one frozen configuration; any invalid setting stops the start with a one-line ConfigError. */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Readonly<CanonConfig> {
  const host = overrides.host ?? env.CANON_HOST ?? '127.0.0.1'
  const authSetting = (overrides.auth ?? env.CANON_AUTH ?? 'off').toLowerCase()
  if (authSetting !== 'on' && authSetting !== 'off') throw new ConfigError(`CANON_AUTH=${authSetting}: use on or off.`)
  const authEnabled = authSetting === 'on'
  if (!LOOPBACK.test(host) && !authEnabled) {
    throw new ConfigError(`CANON_HOST=${host}: listening beyond loopback requires authentication; set CANON_AUTH=on (or --auth on).`)
  }
  const adminToken = env.CANON_ADMIN_TOKEN || undefined
  if (adminToken !== undefined && adminToken.length < 24) throw new ConfigError('CANON_ADMIN_TOKEN must be at least 24 characters long.')
  const port = integer(String(overrides.port ?? env.CANON_PORT ?? '5000'), 'CANON_PORT', 0, 65535)
  const dataDir = absolute(overrides.dataDir ?? env.CANON_DATA_DIR ?? './canon-data')
  const databaseUrl = overrides.databaseUrl ?? env.CANON_DATABASE_URL
  const synchronous = (env.CANON_SQLITE_SYNCHRONOUS ?? 'NORMAL').toUpperCase()
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') throw new ConfigError(`CANON_SQLITE_SYNCHRONOUS=${synchronous}: use NORMAL or FULL.`)
  let database: CanonConfig['database']
  if (!databaseUrl) {
    database = { kind: 'sqlite', file: join(dataDir, 'canon.db'), synchronous }
  } else if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    try {
      new URL(databaseUrl)
    } catch {
      throw new ConfigError('CANON_DATABASE_URL is not a valid URL; expected postgres://user:password@host:5432/database.')
    }
    database = { kind: 'postgres', url: databaseUrl, poolSize: integer(env.CANON_DATABASE_POOL ?? '10', 'CANON_DATABASE_POOL', 1, 1000) }
  } else if (databaseUrl.startsWith('sqlite:')) {
    database = { kind: 'sqlite', file: absolute(databaseUrl.replace(/^sqlite:(\/\/)?/, '')), synchronous }
  } else {
    throw new ConfigError(`CANON_DATABASE_URL must start with postgres://, postgresql:// or sqlite:; got '${databaseUrl.split(':')[0]}:…'.`)
  }
  const logLevel = overrides.logLevel ?? env.CANON_LOG_LEVEL ?? 'info'
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`CANON_LOG_LEVEL=${logLevel}: use one of ${LOG_LEVELS.join(', ')}.`)
  return Object.freeze({
    host,
    port,
    dataDir,
    database,
    blobDir: join(dataDir, 'blobs'),
    artifacts: artifactsConfig(env, dataDir),
    uploads: uploadsConfig(env),
    logLevel,
    logPretty: env.CANON_LOG_FORMAT === 'pretty' || (env.CANON_LOG_FORMAT !== 'json' && !!process.stdout.isTTY),
    maxBlobBytes: integer(env.CANON_MAX_BLOB_BYTES ?? String(1024 ** 4), 'CANON_MAX_BLOB_BYTES', 1, Number.MAX_SAFE_INTEGER),
    readCacheBytes: integer(env.CANON_READ_CACHE_MB ?? '32', 'CANON_READ_CACHE_MB', 0, 1_000_000) * 1024 * 1024,
    localActor: env.CANON_ACTOR ?? safeUsername(),
    auth: { enabled: authEnabled, adminToken },
    webhooks: {
      pollMs: integer(env.CANON_WEBHOOK_POLL_MS ?? '1000', 'CANON_WEBHOOK_POLL_MS', 10, 3_600_000),
      timeoutMs: integer(env.CANON_WEBHOOK_TIMEOUT_MS ?? '10000', 'CANON_WEBHOOK_TIMEOUT_MS', 100, 600_000),
      maxAttempts: integer(env.CANON_WEBHOOK_MAX_ATTEMPTS ?? '8', 'CANON_WEBHOOK_MAX_ATTEMPTS', 1, 100),
      baseDelayMs: integer(env.CANON_WEBHOOK_BACKOFF_MS ?? '5000', 'CANON_WEBHOOK_BACKOFF_MS', 1, 86_400_000),
      maxDelayMs: integer(env.CANON_WEBHOOK_MAX_BACKOFF_MS ?? '3600000', 'CANON_WEBHOOK_MAX_BACKOFF_MS', 1, 86_400_000),
      retentionMs: integer(env.CANON_WEBHOOK_RETENTION_DAYS ?? '30', 'CANON_WEBHOOK_RETENTION_DAYS', 1, 3650) * 86_400_000,
    },
  })
}

function integer(value: string, name: string, min: number, max: number): number {
  const n = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name}=${value}: expected a whole number from ${min} to ${max}.`)
  }
  return n
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path)
}

function safeUsername(): string {
  try {
    return userInfo().username || 'local'
  } catch {
    return 'local'
  }
}
