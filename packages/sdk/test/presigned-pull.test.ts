import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, tempDir, type TestServer } from '../../server/test/support/backends'
import { startS3, type TestS3 } from '../../server/test/support/s3rver'
import { CanonClient } from '../src/index'

const ADMIN_TOKEN = 'presign-admin-token-0123456789abcdef'

describe('pushing to and pulling from a server whose blobs are in S3, with pre-signed downloads and auth on', () => {
  let s3: TestS3
  let server: TestServer
  let dir: { path: string; remove(): Promise<void> }
  beforeAll(async () => {
    s3 = await startS3()
    server = await startTestServer('sqlite', { ...s3.env, CANON_ARTIFACTS_URL: `s3://${s3.bucket}/models`, CANON_S3_PRESIGN: '1', CANON_AUTH: 'on', CANON_ADMIN_TOKEN: ADMIN_TOKEN })
    dir = await tempDir()
  })
  afterAll(async () => {
    await server?.stop()
    await s3?.stop()
    await dir?.remove()
  })

  it('pulls every file through the redirect, each verified against the manifest', async () => {
    const canon = new CanonClient({ url: server.url, token: ADMIN_TOKEN })
    const small = Buffer.from('config')
    const large = Buffer.alloc(200 * 1024, 4)
    await writeFile(join(dir.path, 'config.json'), small)
    await writeFile(join(dir.path, 'weights.bin'), large)
    // the large file goes up in parts, into the bucket
    const pushed = await canon.pushVersion('s3-model', dir.path, { createModel: true, partThreshold: 100 * 1024, partSize: 64 * 1024 })
    expect(pushed.uploadedBlobs).toBe(2)

    // the server answers downloads with a redirect to the bucket (the SDK follows it; fetch drops the token on the way)
    const direct = await fetch(`${server.url}/api/v1/models/s3-model/versions/1/files/weights.bin`, { redirect: 'manual', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(direct.status).toBe(307)
    expect(direct.headers.get('location')).toContain(s3.endpoint)

    const target = join(dir.path, 'pulled')
    const pulled = await canon.pullVersion('models:/s3-model/1', target)
    expect(pulled.files).toHaveLength(2)
    expect(await readFile(join(target, 'weights.bin'))).toEqual(large)
    expect(await readFile(join(target, 'config.json'))).toEqual(small)
  })
})
