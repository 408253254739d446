import { describe, expect, it } from 'vitest'
import { sha256Bytes } from '../src/index'
import { backends, collect, makeVersion, useServer } from './support'

describe.each(backends)('health, garbage collection and audit through the SDK (%s)', (backend) => {
  const ctx = useServer(backend)

  it('reports health and readiness', async () => {
    expect(await ctx.canon.health()).toMatchObject({ status: 'ok', version: expect.any(String) })
    expect(await ctx.canon.ready()).toEqual({ status: 'ready', database: backend })
  })

  it('lists unreferenced blobs on a dry run and deletes them only when applied', async () => {
    const orphan = Buffer.from('nobody references me')
    const digest = sha256Bytes(orphan)
    await ctx.canon.blobs.upload(digest, orphan)
    const kept = await makeVersion(ctx.canon, 'kept')

    const dryRun = await ctx.canon.gc({ graceSeconds: 0 })
    expect(dryRun).toMatchObject({ applied: false, graceSeconds: 0 })
    expect(dryRun.collected).toContainEqual({ digest, size: orphan.length })
    expect(dryRun.collected.map((c) => c.digest)).not.toContain(kept.files[0]?.digest)
    expect(await ctx.canon.blobs.has(digest)).toBe(true)

    expect((await ctx.canon.gc({ graceSeconds: 3600 })).collected).toEqual([])

    const applied = await ctx.canon.gc({ apply: true, graceSeconds: 0 })
    expect(applied.collected).toContainEqual({ digest, size: orphan.length })
    expect(await ctx.canon.blobs.has(digest)).toBe(false)
    expect(await ctx.canon.blobs.has(kept.files[0]!.digest)).toBe(true)
  })

  it('lists audit events by target, pages through them, and verifies the chain', async () => {
    await ctx.canon.models.create({ name: 'audited' })
    await ctx.canon.models.setTag('audited', 'k', 'v')
    await ctx.canon.models.update('audited', { description: 'd' })
    const forModel = await ctx.canon.audit.list({ target: 'model:audited' })
    expect(forModel.items.map((e) => e.action)).toEqual(['model.create', 'model.tag.set', 'model.update'])
    expect(forModel.items[1]).toMatchObject({ actor: 'tester', after: { k: 'v' } })

    const firstPage = await ctx.canon.audit.list({ target: 'model:audited', limit: 2 })
    expect(firstPage.items).toHaveLength(2)
    expect(firstPage.nextAfter).toBe(firstPage.items[1]!.seq)
    const all = await collect(ctx.canon.audit.iterate({ targetPrefix: 'model:audit', limit: 1 }))
    expect(all.map((e) => e.action)).toEqual(['model.create', 'model.tag.set', 'model.update'])

    const check = await ctx.canon.audit.verify()
    expect(check.ok).toBe(true)
    expect(check.events).toBeGreaterThanOrEqual(3)
  })
})
