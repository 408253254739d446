import type { FastifyInstance } from 'fastify'
import { CanonError } from '../domain/errors'
import type { ServiceDeps } from '../services/context'
import { deleteArtifact, findArtifact, listArtifacts, putArtifact } from '../services/tracking/artifacts.service'
import { sendBlob } from '../http/send-blob'
import { MlflowFields } from './request-fields'

/** MLflow's proxied artifact service, stored in Canon's content-addressed blob store. */
export async function artifactRoutes(app: FastifyInstance, { deps }: { deps: ServiceDeps }) {
  app.get('/artifacts', async (request) => {
    const listing = await listArtifacts(deps, new MlflowFields(request).optionalString('path') ?? '')
    const files = listing.map((e) => ({ path: e.path, is_dir: e.isDir, file_size: e.size || undefined }))
    return files.length > 0 ? { files } : {}
  })

  app.get('/artifacts/*', async (request, reply) => {
    const artifact = await findArtifact(deps, (request.params as { '*': string })['*'])
    reply.header('x-content-type-options', 'nosniff')
    return sendBlob(request, reply, deps.blobs, { digest: artifact.digest, size: artifact.size, filename: artifact.path.split('/').at(-1) })
  })

  app.delete('/artifacts/*', async (request) => {
    await deleteArtifact(deps, (request.params as { '*': string })['*'])
    return {}
  })

  await app.register(async (raw) => {
    // Uploads are raw bytes of any type: leave the stream unread for the handler.
    raw.removeAllContentTypeParsers()
    raw.addContentTypeParser('*', (_request, _payload, done) => done(null))
    raw.put('/artifacts/*', async (request) => {
      await putArtifact(deps, (request.params as { '*': string })['*'], request.raw)
      return {}
    })
  })

  // MLflow's client falls back to a single streamed PUT when it sees exactly this message.
  const noMultipart = async () => {
    throw new CanonError('NOT_IMPLEMENTED', 'Multipart upload is not supported for the current artifact repository')
  }
  app.post('/mpu/create/*', noMultipart)
  app.post('/mpu/complete/*', noMultipart)
  app.post('/mpu/abort/*', noMultipart)
}
