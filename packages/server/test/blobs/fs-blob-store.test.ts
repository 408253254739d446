import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { FsBlobStore } from '../../src/blobs/fs-blob-store'
import { tempDir } from '../support/backends'
import { blobStoreContract } from './blob-store.contract'

blobStoreContract('filesystem', async () => {
  const dir = await tempDir()
  return { store: await new FsBlobStore(dir.path).init(), cleanup: dir.remove }
})

describe('filesystem blob store', () => {
  it('leaves no temporary file behind after a failed upload', async () => {
    const dir = await tempDir()
    const store = await new FsBlobStore(dir.path).init()
    await store.put(`sha256:${'0'.repeat(64)}`, Readable.from([Buffer.from('x')])).catch(() => {})
    expect(await readdir(join(dir.path, 'tmp'))).toEqual([])
    await dir.remove()
  })
})
