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
