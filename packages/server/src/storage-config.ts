import { join } from 'node:path'
import { ConfigError } from './config-error'

export type ArtifactsConfig =
  | { readonly kind: 'fs'; readonly dir: string }
  | {
      readonly kind: 's3'
      readonly bucket: string
      readonly prefix: string
      readonly endpoint?: string
      readonly region: string
      readonly forcePathStyle: boolean
      /** absent: the AWS SDK's default chain (instance role, shared profile, …) */
      readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
      /** set when downloads are answered with a redirect to a pre-signed URL valid this long */
      readonly presignTtlSeconds?: number
    }

export interface UploadsConfig {
  /** a resumable upload untouched this long is abandoned and swept */
  readonly ttlMs: number
  readonly sweepIntervalMs: number
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/

/** Where blobs live: CANON_ARTIFACTS_URL=s3://bucket/prefix, file:///dir, or (unset) `<data dir>/blobs`. */
export function artifactsConfig(env: NodeJS.ProcessEnv, dataDir: string): ArtifactsConfig {
  const url = env.CANON_ARTIFACTS_URL
  if (!url) return { kind: 'fs', dir: join(dataDir, 'blobs') }
  if (url.startsWith('file://')) {
    const dir = decodeURIComponent(url.slice('file://'.length))
    if (!dir.startsWith('/')) throw new ConfigError(`CANON_ARTIFACTS_URL=${url}: a file URL needs an absolute path, e.g. file:///var/lib/canon/blobs.`)
    return { kind: 'fs', dir }
  }
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url)
  if (!match) throw new ConfigError(`CANON_ARTIFACTS_URL=${url}: use s3://bucket/prefix or file:///absolute/dir.`)
  const [, bucket = '', rawPrefix = ''] = match
  if (!BUCKET.test(bucket)) throw new ConfigError(`CANON_ARTIFACTS_URL=${url}: '${bucket}' is not an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens).`)
  const endpoint = env.CANON_S3_ENDPOINT || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) throw new ConfigError(`CANON_S3_ENDPOINT=${endpoint}: expected an http(s) URL such as http://127.0.0.1:9000.`)
  const accessKeyId = env.AWS_ACCESS_KEY_ID
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY
  if (!!accessKeyId !== !!secretAccessKey) throw new ConfigError('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together: set both, or neither to use the default AWS credential chain.')
  const presign = onOff(env.CANON_S3_PRESIGN, 'CANON_S3_PRESIGN', false)
  const ttl = seconds(env.CANON_S3_PRESIGN_TTL ?? '300', 'CANON_S3_PRESIGN_TTL', 1, 7 * 24 * 3600)
  return {
    kind: 's3',
    bucket,
    prefix: rawPrefix.replace(/^\/+|\/+$/g, ''),
    endpoint,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    // S3-compatible servers (MinIO, s3rver, Ceph) usually want path-style addressing
    forcePathStyle: onOff(env.CANON_S3_FORCE_PATH_STYLE, 'CANON_S3_FORCE_PATH_STYLE', endpoint !== undefined),
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined } : undefined,
    presignTtlSeconds: presign ? ttl : undefined,
  }
}

export function uploadsConfig(env: NodeJS.ProcessEnv): UploadsConfig {
  const ttlMs = seconds(env.CANON_UPLOAD_TTL ?? '24h', 'CANON_UPLOAD_TTL', 1, 365 * 24 * 3600) * 1000
  // sweep a few times per TTL, but no more than once a second and at least hourly
  return { ttlMs, sweepIntervalMs: Math.min(Math.max(Math.floor(ttlMs / 4), 1000), 3600_000) }
}

/** `90`, `90s`, `15m`, `24h`, `7d` → seconds */
function seconds(value: string, name: string, min: number, max: number): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value.trim())
  const n = match ? Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'] : NaN
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ConfigError(`${name}=${value}: expected a duration such as 90s, 15m, 24h or 7d, from ${min}s to ${max}s.`)
  return n
}

function onOff(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback
  const v = value.toLowerCase()
  if (['1', 'on', 'true', 'yes'].includes(v)) return true
  if (['0', 'off', 'false', 'no'].includes(v)) return false
  throw new ConfigError(`${name}=${value}: use 1 or 0.`)
}
