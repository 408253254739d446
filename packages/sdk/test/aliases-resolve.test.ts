import { describe, expect, it } from 'vitest'
import { backends, makeVersion, useServer } from './support'

describe.each(backends)('aliases and model URIs through the SDK (%s)', (backend) => {
  const ctx = useServer(backend)

  it('points an alias at a version, moves it, lists it and deletes it', async () => {
    await makeVersion(ctx.canon, 'churn')
    await makeVersion(ctx.canon, 'churn')
    expect((await ctx.canon.aliases.set('churn', 'champion', 1)).version).toBe(1)
    expect((await ctx.canon.aliases.set('churn', 'champion', 2)).aliases).toEqual(['champion'])
    await ctx.canon.aliases.set('churn', 'challenger', 1)
    expect((await ctx.canon.aliases.get('churn', 'champion')).version).toBe(2)
    expect(await ctx.canon.aliases.list('churn')).toEqual({ champion: 2, challenger: 1 })
    expect((await ctx.canon.models.get('churn')).aliases).toEqual({ champion: 2, challenger: 1 })
    await ctx.canon.aliases.delete('churn', 'challenger')
    await expect(ctx.canon.aliases.get('churn', 'challenger')).rejects.toMatchObject({ code: 'ALIAS_NOT_FOUND', status: 404 })
  })

  it('refuses an alias that would shadow a URI keyword', async () => {
    await makeVersion(ctx.canon, 'reserved')
    await expect(ctx.canon.aliases.set('reserved', 'latest', 1)).rejects.toMatchObject({ code: 'INVALID_ALIAS', status: 400 })
  })

  it('resolves every URI form to the version it names', async () => {
    const name = 'team/uri model'
    await makeVersion(ctx.canon, name)
    await makeVersion(ctx.canon, name)
    await makeVersion(ctx.canon, name)
    await ctx.canon.versions.transitionStage(name, 2, { stage: 'Production' })
    await ctx.canon.aliases.set(name, 'champion', 1)
    const resolved = async (uri: string) => (await ctx.canon.resolve(uri)).version
    expect(await resolved(`models:/${name}/3`)).toBe(3)
    expect(await resolved(`model://${name}/v1`)).toBe(1)
    expect(await resolved(`models:/${name}/Production`)).toBe(2)
    expect(await resolved(`models:/${name}@champion`)).toBe(1)
    expect(await resolved(`model://${name}@champion`)).toBe(1)
    expect(await resolved(`models:/${name}/latest`)).toBe(3)
    const version = await ctx.canon.resolve(`models:/${name}/3`)
    expect(version.files).toHaveLength(1)
  })

  it('explains a malformed URI with INVALID_URI', async () => {
    await expect(ctx.canon.resolve('s3://bucket/model')).rejects.toMatchObject({ code: 'INVALID_URI', status: 400, message: expect.stringContaining("must start with 'models:/'") })
  })
})
