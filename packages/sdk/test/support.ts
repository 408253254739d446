import type { CreateVersionInput, FileEntry, Version } from '@canon/api'
import { afterAll, beforeAll } from 'vitest'
import { startTestServer, type BackendName, type TestServer } from '../../server/test/support/backends'
import { CanonClient, isCanonApiError, sha256Bytes } from '../src/index'

export { backends, tempDir } from '../../server/test/support/backends'

/** A real server on a loopback port for the enclosing describe block, and a client pointed at it. */
export function useServer(backend: BackendName): { readonly server: TestServer; readonly canon: CanonClient } {
  const context = {} as { server: TestServer; canon: CanonClient }
  beforeAll(async () => {
    context.server = await startTestServer(backend)
    context.canon = new CanonClient({ url: context.server.url })
  })
  afterAll(async () => {
    // a keep-alive socket whose response was still finishing when close began would hold the server's
    // shutdown open until its keep-alive timeout (72 s); see the report on graceful shutdown
    context.server?.app.server.closeAllConnections()
    await context.server?.stop()
  })
  return context
}

/** Uploads each file's bytes as a blob and returns the manifest for them. */
export async function uploadFiles(canon: CanonClient, files: Record<string, string | Uint8Array>): Promise<FileEntry[]> {
  const manifest: FileEntry[] = []
  for (const [path, content] of Object.entries(files)) {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content
    const digest = sha256Bytes(bytes)
    await canon.blobs.upload(digest, bytes)
    manifest.push({ path, size: bytes.byteLength, digest })
  }
  return manifest
}

/** Creates a version of `model` with the given files (and the model too, if it is new). */
export async function makeVersion(
  canon: CanonClient,
  model: string,
  files: Record<string, string | Uint8Array> = { 'model.bin': `weights of ${model} ${Math.random()}` },
  extra: Omit<CreateVersionInput, 'files'> = {},
): Promise<Version> {
  await canon.models.create({ name: model }).catch((error: unknown) => {
    if (!isCanonApiError(error, 'MODEL_EXISTS')) throw error
  })
  return canon.versions.create(model, { ...extra, files: await uploadFiles(canon, files) })
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of iterable) items.push(item)
  return items
}
