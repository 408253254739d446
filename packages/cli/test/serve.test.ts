import { once } from 'node:events'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../server/test/support/backends'
import { startS3 } from '../../server/test/support/s3rver'
import { runCanon, spawnCanon } from './run-canon'

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

async function waitForHealth(url: string, exited: () => boolean): Promise<{ status: string }> {
  for (;;) {
    if (exited()) throw new Error('canon serve exited before answering /healthz')
    try {
      const response = await fetch(`${url}/healthz`)
      if (response.ok) return (await response.json()) as { status: string }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('canon serve', () => {
  let scratch: Awaited<ReturnType<typeof tempDir>>
  beforeAll(async () => {
    scratch = await tempDir('canon-serve-')
  })
  afterAll(() => scratch?.remove())

  it('prints one line and exits 2 when CANON_PORT is not a port', async () => {
    const result = await runCanon(['serve', '--data-dir', scratch.path], { CANON_PORT: 'eighty' })
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe('canon: CANON_PORT=eighty: expected a whole number from 0 to 65535.\n')
  })

  it('refuses to listen beyond loopback, on one line with exit 2', async () => {
    const result = await runCanon(['serve', '--host', '0.0.0.0', '--data-dir', scratch.path])
    expect(result.code).toBe(2)
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/^canon: CANON_HOST=0\.0\.0\.0: /)
  })

  it('stops on one line with exit 2 when the S3 bucket does not exist', async () => {
    const s3 = await startS3()
    try {
      const result = await runCanon(['serve', '--data-dir', scratch.path, '--port', '0'], { ...s3.env, CANON_ARTIFACTS_URL: 's3://no-such-bucket/canon' })
      expect(result.code).toBe(2)
      expect(result.stderr).toBe("canon: Cannot use S3 bucket 'no-such-bucket': it does not exist.\n")
    } finally {
      await s3.stop()
    }
  })

  it('starts on the given port and data dir, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const port = await freePort()
    const child = spawnCanon(['serve', '--port', String(port), '--data-dir', scratch.path, '--log-level', 'warn'])
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
    try {
      expect(await waitForHealth(`http://127.0.0.1:${port}`, () => child.exitCode !== null)).toMatchObject({ status: 'ok' })
      const models = await fetch(`http://127.0.0.1:${port}/api/v1/models`)
      expect(models.status).toBe(200)
    } finally {
      child.kill('SIGTERM')
    }
    const [code] = await exit
    expect(code, stderr).toBe(0)
  })
})

describe('canon migrate', () => {
  let scratch: Awaited<ReturnType<typeof tempDir>>
  beforeAll(async () => {
    scratch = await tempDir('canon-migrate-')
  })
  afterAll(() => scratch?.remove())

  it('applies the migrations to a new database once, then reports it up to date', async () => {
    const first = await runCanon(['migrate', '--data-dir', scratch.path])
    expect(first).toMatchObject({ code: 0, stderr: '' })
    expect(first.stdout).toMatch(/^Applied \d+ migrations? to .*canon\.db:\n {2}001-initial\n/)
    const second = await runCanon(['migrate', '--data-dir', scratch.path, '--json'])
    expect(JSON.parse(second.stdout)).toEqual({ database: 'sqlite', applied: [] })
  })
})
