import { describe, expect, it } from 'vitest'
import { backends, collect, makeVersion, uploadFiles, useServer } from './support'

describe.each(backends)('versions through the SDK (%s)', (backend) => {
  const ctx = useServer(backend)

  it('creates a version from uploaded blobs and reads back its manifest and lineage', async () => {
    await ctx.canon.models.create({ name: 'churn' })
    const files = await uploadFiles(ctx.canon, { 'model.pkl': 'weights', 'conf/params.json': '{"depth":3}' })
    const created = await ctx.canon.versions.create('churn', {
      files,
      description: 'first cut',
      tags: { data: 'q3' },
      metrics: { auc: 0.91 },
      params: { depth: '3' },
      source: 's3://runs/42',
      runId: 'run-42',
    })
    expect(created).toMatchObject({ model: 'churn', version: 1, stage: 'None', fileCount: 2, totalSize: 7 + 11, metrics: { auc: 0.91 }, runId: 'run-42' })
    const read = await ctx.canon.versions.get('churn', 1)
    expect(read.files).toEqual(expect.arrayContaining(files))
    expect(read).toMatchObject({ description: 'first cut', tags: { data: 'q3' }, params: { depth: '3' }, source: 's3://runs/42' })
  })

  it('refuses a manifest naming a blob that was never uploaded', async () => {
    await ctx.canon.models.create({ name: 'no-blob' })
    const digest = `sha256:${'0'.repeat(64)}`
    await expect(ctx.canon.versions.create('no-blob', { files: [{ path: 'x', size: 1, digest }] })).rejects.toMatchObject({ code: 'MANIFEST_BLOB_UNKNOWN', details: { digest } })
  })

  it("updates a version's description and tags", async () => {
    await makeVersion(ctx.canon, 'editable')
    expect((await ctx.canon.versions.update('editable', 1, 'better words')).description).toBe('better words')
    expect((await ctx.canon.versions.setTag('editable', 1, 'validated', 'yes')).tags).toEqual({ validated: 'yes' })
    await ctx.canon.versions.deleteTag('editable', 1, 'validated')
    expect((await ctx.canon.versions.get('editable', 1)).tags).toEqual({})
  })

  it('deletes a version and never reuses its number', async () => {
    await makeVersion(ctx.canon, 'numbers')
    await makeVersion(ctx.canon, 'numbers')
    await ctx.canon.versions.delete('numbers', 2)
    await expect(ctx.canon.versions.get('numbers', 2)).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND', status: 404 })
    expect((await makeVersion(ctx.canon, 'numbers')).version).toBe(3)
  })

  it('promoting to Production archives the previous Production version and records who and why', async () => {
    await makeVersion(ctx.canon, 'promoted')
    await makeVersion(ctx.canon, 'promoted')
    await ctx.canon.versions.transitionStage('promoted', 1, { stage: 'Production', reason: 'first launch' })
    const second = await ctx.canon.versions.transitionStage('promoted', 2, { stage: 'Production', reason: 'better auc' })
    expect(second.stage).toBe('Production')
    expect((await ctx.canon.versions.get('promoted', 1)).stage).toBe('Archived')
    const history = await ctx.canon.versions.transitions('promoted', 2)
    expect(history).toEqual([expect.objectContaining({ fromStage: 'None', toStage: 'Production', reason: 'better auc', actor: 'tester' })])
    await expect(ctx.canon.versions.delete('promoted', 2)).rejects.toMatchObject({ code: 'VERSION_IN_PRODUCTION', status: 409 })
  })

  it('keeps the previous Production version when asked not to archive it', async () => {
    await makeVersion(ctx.canon, 'side-by-side')
    await makeVersion(ctx.canon, 'side-by-side')
    await ctx.canon.versions.transitionStage('side-by-side', 1, { stage: 'Production' })
    await ctx.canon.versions.transitionStage('side-by-side', 2, { stage: 'Production', archiveExisting: false })
    expect((await ctx.canon.versions.get('side-by-side', 1)).stage).toBe('Production')
  })

  it("lists one model's versions and searches across models by stage, tag, run and time", async () => {
    const start = new Date(Date.now() - 1000)
    await makeVersion(ctx.canon, 'search-x', undefined, { runId: 'run-x', tags: { flavour: 'plain' } })
    await makeVersion(ctx.canon, 'search-x', undefined, { tags: { flavour: 'spicy' } })
    await makeVersion(ctx.canon, 'search-y', undefined, { runId: 'run-x' })
    await ctx.canon.versions.transitionStage('search-y', 1, { stage: 'Staging' })

    const own = await ctx.canon.versions.list({ model: 'search-x' })
    expect(own.items.map((v) => v.version)).toEqual([2, 1])
    expect((await ctx.canon.versions.list({ model: 'search-x', order: 'asc' })).items.map((v) => v.version)).toEqual([1, 2])
    expect((await ctx.canon.versions.list({ model: 'search-x', tag: 'flavour=spicy' })).items.map((v) => v.version)).toEqual([2])

    const byRun = await ctx.canon.versions.list({ runId: 'run-x', order: 'asc' })
    expect(byRun.items.map((v) => `${v.model}/${v.version}`)).toEqual(['search-x/1', 'search-y/1'])
    expect((await ctx.canon.versions.list({ stage: 'Staging' })).items.map((v) => v.model)).toContain('search-y')
    expect((await ctx.canon.versions.list({ runId: 'run-x', createdAfter: start })).items).toHaveLength(2)
    expect((await ctx.canon.versions.list({ runId: 'run-x', createdBefore: start })).items).toHaveLength(0)
  })

  it('pages through versions with a cursor and iterates over all of them', async () => {
    for (let i = 0; i < 5; i++) await makeVersion(ctx.canon, 'many')
    const first = await ctx.canon.versions.list({ model: 'many', limit: 2 })
    expect(first.items.map((v) => v.version)).toEqual([5, 4])
    const next = await ctx.canon.versions.list({ model: 'many', limit: 2, cursor: first.nextCursor! })
    expect(next.items.map((v) => v.version)).toEqual([3, 2])
    expect((await collect(ctx.canon.versions.iterate({ model: 'many', limit: 2 }))).map((v) => v.version)).toEqual([5, 4, 3, 2, 1])
  })
})
