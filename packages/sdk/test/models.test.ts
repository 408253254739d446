import { describe, expect, it } from 'vitest'
import { backends, collect, makeVersion, useServer } from './support'

describe.each(backends)('models through the SDK (%s)', (backend) => {
  const ctx = useServer(backend)

  it('creates a model and reads it back with its tags', async () => {
    const created = await ctx.canon.models.create({ name: 'churn', description: 'predicts churn', tags: { team: 'risk' } })
    expect(created).toMatchObject({ name: 'churn', description: 'predicts churn', tags: { team: 'risk' }, latestVersion: null })
    expect(await ctx.canon.models.get('churn')).toEqual(created)
  })

  it("keeps a name with '/' and spaces intact on every route", async () => {
    const name = 'team a/fraud model v2'
    await ctx.canon.models.create({ name })
    await ctx.canon.models.setTag(name, 'owner/team', 'a b')
    expect((await ctx.canon.models.get(name)).tags).toEqual({ 'owner/team': 'a b' })
    await ctx.canon.models.deleteTag(name, 'owner/team')
    await ctx.canon.models.delete(name)
    await expect(ctx.canon.models.get(name)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND', status: 404 })
  })

  it('updates the description and renames a model, taking its versions along', async () => {
    await makeVersion(ctx.canon, 'old-name')
    const updated = await ctx.canon.models.update('old-name', { description: 'now described' })
    expect(updated.description).toBe('now described')
    const renamed = await ctx.canon.models.rename('old-name', 'new-name')
    expect(renamed).toMatchObject({ name: 'new-name', description: 'now described', latestVersion: 1 })
    expect((await ctx.canon.versions.get('new-name', 1)).model).toBe('new-name')
    await expect(ctx.canon.models.get('old-name')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' })
  })

  it('sets, overwrites and deletes model tags', async () => {
    await ctx.canon.models.create({ name: 'tagged' })
    await ctx.canon.models.setTag('tagged', 'stage', 'beta')
    const model = await ctx.canon.models.setTag('tagged', 'stage', 'ga')
    expect(model.tags).toEqual({ stage: 'ga' })
    await ctx.canon.models.deleteTag('tagged', 'stage')
    expect((await ctx.canon.models.get('tagged')).tags).toEqual({})
    await expect(ctx.canon.models.deleteTag('tagged', 'stage')).rejects.toMatchObject({ code: 'TAG_NOT_FOUND' })
  })

  it('lists models filtered by name, tag and stage, sorted either way', async () => {
    await ctx.canon.models.create({ name: 'search-a', tags: { domain: 'ads' } })
    await ctx.canon.models.create({ name: 'search-b', tags: { domain: 'ads', tier: 'gold' } })
    await ctx.canon.models.create({ name: 'search-c', tags: { domain: 'risk' } })
    await makeVersion(ctx.canon, 'search-c')
    await ctx.canon.versions.transitionStage('search-c', 1, { stage: 'Staging' })

    const names = async (query: Parameters<typeof ctx.canon.models.list>[0]) => (await ctx.canon.models.list(query)).items.map((m) => m.name)
    expect(await names({ q: 'SEARCH-' })).toEqual(['search-a', 'search-b', 'search-c'])
    expect(await names({ q: 'search-', order: 'desc' })).toEqual(['search-c', 'search-b', 'search-a'])
    expect(await names({ q: 'search-', tag: 'domain=ads' })).toEqual(['search-a', 'search-b'])
    expect(await names({ q: 'search-', tag: ['domain=ads', 'tier'] })).toEqual(['search-b'])
    expect(await names({ q: 'search-', stage: 'Staging' })).toEqual(['search-c'])
    expect(await names({ q: 'search-', sort: 'created', order: 'asc' })).toEqual(['search-a', 'search-b', 'search-c'])
  })

  it('pages through models with a cursor and iterates over every page', async () => {
    for (const n of [1, 2, 3, 4, 5]) await ctx.canon.models.create({ name: `paged-${n}` })
    const first = await ctx.canon.models.list({ q: 'paged-', limit: 2 })
    expect(first.items.map((m) => m.name)).toEqual(['paged-1', 'paged-2'])
    expect(first.nextCursor).toEqual(expect.any(String))
    const second = await ctx.canon.models.list({ q: 'paged-', limit: 2, cursor: first.nextCursor! })
    expect(second.items.map((m) => m.name)).toEqual(['paged-3', 'paged-4'])
    const all = await collect(ctx.canon.models.iterate({ q: 'paged-', limit: 2 }))
    expect(all.map((m) => m.name)).toEqual(['paged-1', 'paged-2', 'paged-3', 'paged-4', 'paged-5'])
  })

  it('refuses to delete a model while a version is in Production', async () => {
    await makeVersion(ctx.canon, 'serving')
    await ctx.canon.versions.transitionStage('serving', 1, { stage: 'Production' })
    await expect(ctx.canon.models.delete('serving')).rejects.toMatchObject({ status: 409, code: 'MODEL_HAS_PRODUCTION_VERSION', details: { productionVersions: [1] } })
  })
})
