import type { AddressInfo } from 'node:net'
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver'
import { tempDir } from './backends'

export interface TestS3 {
  endpoint: string
  bucket: string
  /** the AWS-style variables a Canon server reads to use this bucket */
  env: Record<string, string>
  client: { endpoint: string; region: string; forcePathStyle: true; credentials: { accessKeyId: string; secretAccessKey: string } }
  stop(): Promise<void>
}

/** An in-process S3 server (s3rver) on a loopback port the OS picks, storing into a temporary directory. */
export async function startS3(bucket = 'canon-test'): Promise<TestS3> {
  const dir = await tempDir('canon-s3-')
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir.path, configureBuckets: [{ name: bucket }] })
  const { port } = (await server.run()) as AddressInfo
  const endpoint = `http://127.0.0.1:${port}`
  // s3rver's fixed development credentials
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }
  return {
    endpoint,
    bucket,
    env: { CANON_S3_ENDPOINT: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey },
    client: { endpoint, region: 'us-east-1', forcePathStyle: true, credentials },
    async stop() {
      await server.close()
      await dir.remove()
    },
  }
}
