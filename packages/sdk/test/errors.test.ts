import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { CanonApiError, CanonClient } from '../src/index'
import { backends, useServer } from './support'

describe.each(backends)('errors rebuilt from the wire (%s)', (backend) => {
  const ctx = useServer(backend)

  it('turns a 404 into CanonApiError with the wire code, message, details and request id', async () => {
    const error = await ctx.canon.models.get('nobody').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CanonApiError)
    expect(error).toMatchObject({ status: 404, code: 'MODEL_NOT_FOUND', details: { model: 'nobody' }, requestId: expect.any(String) })
    expect((error as Error).message).toContain("'nobody'")
  })

  it('reports a duplicate model as MODEL_EXISTS (409)', async () => {
    await ctx.canon.models.create({ name: 'twice' })
    await expect(ctx.canon.models.create({ name: 'twice' })).rejects.toMatchObject({ status: 409, code: 'MODEL_EXISTS' })
  })

  it('reports an invalid model name as INVALID_NAME and a schema violation as INVALID_INPUT', async () => {
    await expect(ctx.canon.models.create({ name: 'bad\nname' })).rejects.toMatchObject({ status: 400, code: 'INVALID_NAME' })
    await expect(ctx.canon.models.update('twice', {})).rejects.toMatchObject({ status: 400, code: 'INVALID_INPUT' })
  })
})

describe('errors without a server', () => {
  it('names the URL and the reason when nothing listens there', async () => {
    const port = await closedPort()
    const canon = new CanonClient({ url: `http://127.0.0.1:${port}` })
    const error = await canon.health().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'UNREACHABLE', status: 0 })
    expect((error as Error).message).toContain(`http://127.0.0.1:${port}`)
    expect((error as Error).message).toContain('ECONNREFUSED')
  })

  it('refuses a URL that is not http(s)', () => {
    expect(() => new CanonClient({ url: 'ftp://example.com' })).toThrow(/not an http\(s\) URL/)
  })
})

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}
