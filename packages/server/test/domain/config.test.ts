import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'

describe('configuration', () => {
  it('defaults to loopback, port 5000, SQLite under ./canon-data', () => {
    const config = loadConfig({}, {})
    expect(config).toMatchObject({ host: '127.0.0.1', port: 5000, database: { kind: 'sqlite', synchronous: 'NORMAL' } })
    expect(config.dataDir.endsWith('canon-data')).toBe(true)
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('flags win over environment variables', () => {
    expect(loadConfig({ port: 6000 }, { CANON_PORT: '7000' }).port).toBe(6000)
    expect(loadConfig({}, { CANON_PORT: '7000' }).port).toBe(7000)
  })

  it('takes PostgreSQL from CANON_DATABASE_URL', () => {
    expect(loadConfig({}, { CANON_DATABASE_URL: 'postgres://u@db:5432/canon' }).database).toMatchObject({ kind: 'postgres', url: 'postgres://u@db:5432/canon' })
  })

  it.each([
    [{ CANON_PORT: 'http' }, 'CANON_PORT=http'],
    [{ CANON_PORT: '70000' }, 'CANON_PORT=70000'],
    [{ CANON_HOST: '0.0.0.0' }, 'loopback'],
    [{ CANON_DATABASE_URL: 'mysql://x' }, 'CANON_DATABASE_URL'],
    [{ CANON_LOG_LEVEL: 'loud' }, 'CANON_LOG_LEVEL'],
    [{ CANON_SQLITE_SYNCHRONOUS: 'OFF' }, 'CANON_SQLITE_SYNCHRONOUS'],
  ])('refuses %j with one clear line', (env, mentions) => {
    expect(() => loadConfig({}, env)).toThrow(expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining(mentions) }))
    try {
      loadConfig({}, env)
    } catch (error) {
      expect((error as Error).message).not.toContain('\n')
    }
  })
})

describe('blob storage configuration', () => {
  it('keeps blobs in the data directory unless CANON_ARTIFACTS_URL says otherwise', () => {
    const config = loadConfig({ dataDir: '/srv/canon' }, {})
    expect(config.artifacts).toEqual({ kind: 'fs', dir: '/srv/canon/blobs' })
    expect(loadConfig({}, { CANON_ARTIFACTS_URL: 'file:///mnt/blobs' }).artifacts).toEqual({ kind: 'fs', dir: '/mnt/blobs' })
  })

  it('reads the bucket and prefix from s3:// and the rest from the usual AWS variables', () => {
    const config = loadConfig({}, {
      CANON_ARTIFACTS_URL: 's3://models-bucket/canon/prod/',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9000',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'key',
      AWS_SECRET_ACCESS_KEY: 'secret',
    })
    expect(config.artifacts).toEqual({
      kind: 's3',
      bucket: 'models-bucket',
      prefix: 'canon/prod',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'key', secretAccessKey: 'secret', sessionToken: undefined },
      presignTtlSeconds: undefined,
    })
  })

  it('prefers CANON_S3_ENDPOINT, uses the default AWS credential chain without keys, and turns on pre-signed downloads', () => {
    const config = loadConfig({}, { CANON_ARTIFACTS_URL: 's3://b-1', CANON_S3_ENDPOINT: 'https://s3.internal', AWS_ENDPOINT_URL: 'http://other', CANON_S3_PRESIGN: '1', CANON_S3_PRESIGN_TTL: '15m' })
    expect(config.artifacts).toMatchObject({ kind: 's3', bucket: 'b-1', prefix: '', endpoint: 'https://s3.internal', region: 'us-east-1', credentials: undefined, presignTtlSeconds: 900 })
    expect(loadConfig({}, { CANON_ARTIFACTS_URL: 's3://b-1' }).artifacts).toMatchObject({ endpoint: undefined, forcePathStyle: false })
  })

  it('expires abandoned uploads after CANON_UPLOAD_TTL (24h by default)', () => {
    expect(loadConfig({}, {}).uploads.ttlMs).toBe(24 * 3600 * 1000)
    expect(loadConfig({}, { CANON_UPLOAD_TTL: '90s' }).uploads).toEqual({ ttlMs: 90_000, sweepIntervalMs: 22_500 })
  })

  it.each([
    [{ CANON_ARTIFACTS_URL: 'gs://bucket' }, 'CANON_ARTIFACTS_URL'],
    [{ CANON_ARTIFACTS_URL: 's3://' }, 'CANON_ARTIFACTS_URL'],
    [{ CANON_ARTIFACTS_URL: 's3://Bad_Bucket/x' }, 'bucket name'],
    [{ CANON_ARTIFACTS_URL: 'file://relative/dir' }, 'absolute path'],
    [{ CANON_ARTIFACTS_URL: 's3://bucket', CANON_S3_ENDPOINT: 'localhost:9000' }, 'CANON_S3_ENDPOINT'],
    [{ CANON_ARTIFACTS_URL: 's3://bucket', AWS_ACCESS_KEY_ID: 'only-the-key' }, 'AWS_SECRET_ACCESS_KEY'],
    [{ CANON_ARTIFACTS_URL: 's3://bucket', CANON_S3_PRESIGN: 'maybe' }, 'CANON_S3_PRESIGN'],
    [{ CANON_ARTIFACTS_URL: 's3://bucket', CANON_S3_PRESIGN: '1', CANON_S3_PRESIGN_TTL: '30d' }, 'CANON_S3_PRESIGN_TTL'],
    [{ CANON_UPLOAD_TTL: 'forever' }, 'CANON_UPLOAD_TTL'],
    [{ CANON_UPLOAD_TTL: '0s' }, 'CANON_UPLOAD_TTL'],
  ])('refuses %j with one clear line', (env, mentions) => {
    expect(() => loadConfig({}, env)).toThrow(expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining(mentions) }))
    try {
      loadConfig({}, env)
    } catch (error) {
      expect((error as Error).message).not.toContain('\n')
    }
  })
})
