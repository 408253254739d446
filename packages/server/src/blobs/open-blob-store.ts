import type { ArtifactsConfig } from '../storage-config'
import type { BlobStore } from './blob-store'
import { FsBlobStore } from './fs-blob-store'
import { S3BlobStore } from './s3-blob-store'

/** The blob store the configuration names, checked usable (directories made, bucket reachable). */
export async function openBlobStore(config: ArtifactsConfig): Promise<BlobStore> {
  if (config.kind === 'fs') return new FsBlobStore(config.dir).init()
  return new S3BlobStore({
    bucket: config.bucket,
    prefix: config.prefix,
    presignTtlSeconds: config.presignTtlSeconds,
    client: { region: config.region, endpoint: config.endpoint, forcePathStyle: config.forcePathStyle, credentials: config.credentials },
  }).init()
}
