import { allow, anywhere } from '../http/permission-rules'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { can } from '../domain/permissions'
import { CanonError } from '../domain/errors'
import type { ServiceDeps } from '../services/context'
import { randomUUID } from 'node:crypto'
import { completeMultipartUpload, deleteArtifact, findArtifact, listArtifacts, modelOfArtifactPath, putArtifact, putUploadPart } from '../services/tracking/artifacts.service'
import { sendBlob } from '../http/send-blob'
import { MlflowFields } from './request-fields'

/** MLflow's proxied artifact service, stored in Canon's content-addressed blob store. */
export async function artifactRoutes(app: FastifyInstance, { deps }: { deps: ServiceDeps }) {
  /** Versions served under _canon/ are readable only by those who may read their model; others see nothing there. */
  const checkVersionRead = async (request: FastifyRequest, path: string) => {
    const model = await modelOfArtifactPath(deps, path)
    if (model !== null && !can(request.principal?.grants ?? [], 'read', model)) throw new CanonError('ARTIFACT_NOT_FOUND', `No artifact at '${path}'.`)
  }

  app.get('/artifacts', { config: allow.read(anywhere) }, async (request) => {
    const path = new MlflowFields(request).optionalString('path') ?? ''
    await checkVersionRead(request, path)
    const listing = await listArtifacts(deps, path)
    const files = listing.map((e) => ({ path: e.path, is_dir: e.isDir, file_size: e.size || undefined }))
    return files.length > 0 ? { files } : {}
  })

  app.get('/artifacts/*', { config: allow.read(anywhere) }, async (request, reply) => {
    const path = (request.params as { '*': string })['*']
    await checkVersionRead(request, path)
    const artifact = await findArtifact(deps, path)
    reply.header('x-content-type-options', 'nosniff')
    return sendBlob(request, reply, deps.blobs, { digest: artifact.digest, size: artifact.size, filename: artifact.path.split('/').at(-1) })
  })

  app.delete('/artifacts/*', { config: allow.write(anywhere) }, async (request) => {
    await deleteArtifact(deps, (request.params as { '*': string })['*'])
    return {}
  })

  await app.register(async (raw) => {
    // Uploads are raw bytes of any type: leave the stream unread for the handler.
    raw.removeAllContentTypeParsers()
    raw.addContentTypeParser('*', (_request, _payload, done) => done(null))
    raw.put('/artifacts/*', { config: allow.write(anywhere) }, async (request) => {
      await putArtifact(deps, (request.params as { '*': string })['*'], request.raw)
      return {}
    })
    raw.put('/mpu/parts/:uploadId/:partNumber', { config: allow.write(anywhere) }, async (request, reply) => {
      const digest = await putUploadPart(deps, request.raw)
      return reply.header('etag', `"${digest}"`).send({})
    })
  })

  // Multipart: each part is PUT to a URL Canon hands out and stored as a blob; complete joins them in order.
  app.post('/mpu/create/*', { config: allow.write(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    f.requiredString('path')
    const parts = f.optionalInteger('num_parts') ?? 1
    if (parts < 1 || parts > 10_000) throw new CanonError('INVALID_INPUT', 'num_parts must be between 1 and 10000.')
    const uploadId = randomUUID()
    const base = `${request.protocol}://${request.host}${request.url.split('/mpu/')[0]}/mpu/parts/${uploadId}`
    return { upload_id: uploadId, credentials: Array.from({ length: parts }, (_, i) => ({ url: `${base}/${i + 1}`, part_number: i + 1 })) }
  })

  app.post('/mpu/complete/*', { config: allow.write(anywhere) }, async (request) => {
    const f = new MlflowFields(request)
    const fileName = f.requiredString('path').split(/[/\\]/).at(-1) ?? ''
    const directory = (request.params as { '*': string })['*']
    const parts = f.objectList('parts').map((p) => ({ partNumber: Number(p.part_number), etag: String(p.etag ?? '') }))
    if (parts.some((p) => !Number.isSafeInteger(p.partNumber) || !p.etag)) throw new CanonError('INVALID_INPUT', 'Each part needs part_number and etag.')
    await completeMultipartUpload(deps, [directory, fileName].filter(Boolean).join('/'), parts)
    return {}
  })

  // Parts already stored are unreferenced blobs: garbage collection reclaims them after its grace period.
  app.post('/mpu/abort/*', { config: allow.write(anywhere) }, async (request) => {
    new MlflowFields(request).requiredString('path')
    return {}
  })
}
