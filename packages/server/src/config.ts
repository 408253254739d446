import { userInfo } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'

export interface CanonConfig {
  readonly host: string
  readonly port: number
  readonly dataDir: string
  readonly database: { kind: 'sqlite'; file: string; synchronous: 'NORMAL' | 'FULL' } | { kind: 'postgres'; url: string; poolSize: number }
  readonly blobDir: string
  readonly logLevel: string
  readonly logPretty: boolean
  readonly maxBlobBytes: number
  /** bytes of answers the read cache may keep (SQLite); 0 turns it off */
  readonly readCacheBytes: number
  /** the actor of every request while auth is off (single-user mode) */
  readonly localActor: string
  readonly auth: { enabled: boolean; adminToken?: string }
}

export class ConfigError extends Error {
  override name = 'ConfigError'
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
    logLevel,
    logPretty: env.CANON_LOG_FORMAT === 'pretty' || (env.CANON_LOG_FORMAT !== 'json' && !!process.stdout.isTTY),
    maxBlobBytes: integer(env.CANON_MAX_BLOB_BYTES ?? String(1024 ** 4), 'CANON_MAX_BLOB_BYTES', 1, Number.MAX_SAFE_INTEGER),
    readCacheBytes: integer(env.CANON_READ_CACHE_MB ?? '32', 'CANON_READ_CACHE_MB', 0, 1_000_000) * 1024 * 1024,
    localActor: env.CANON_ACTOR ?? safeUsername(),
    auth: { enabled: authEnabled, adminToken },
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
