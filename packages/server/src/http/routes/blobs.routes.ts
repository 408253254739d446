import { allow, anywhere } from '../permission-rules'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { BlobUploadSchema, ErrorSchema } from '@canon/api'
import { statBlob, uploadBlob } from '../../services/blobs.service'
import { sendBlob } from '../send-blob'
import type { RouteOptions } from './route-deps'
import { DigestParams } from './params'

const tags = ['blobs']

export const blobRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  // Blob bodies are raw bytes of any type: leave the request stream unread for the handler to pipe into the store.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_request, _payload, done) => done(null))

  app.head('/blobs/:digest', { config: allow.read(anywhere), schema: { tags, summary: 'Does the server have this blob? (skip uploading it if so)', params: DigestParams } }, async (request, reply) => {
    const info = await statBlob(deps, request.params.digest)
    return reply.status(200).header('content-length', info.size).header('etag', `"${info.digest}"`).header('x-canon-digest', info.digest).send()
  })

  app.get('/blobs/:digest', { config: allow.read(anywhere), schema: { tags, summary: 'Download a blob by digest (Range supported)', params: DigestParams } }, async (request, reply) => {
    const info = await statBlob(deps, request.params.digest)
    return sendBlob(request, reply, deps.blobs, info)
  })

  app.put(
    '/blobs/:digest',
    { config: allow.write(anywhere), schema: {
        tags,
        summary: 'Upload a blob; it is stored only if its bytes hash to the digest in the path',
        params: DigestParams,
        response: { 200: BlobUploadSchema, 201: BlobUploadSchema, '4xx': ErrorSchema, '5xx': ErrorSchema },
      },
    },
    async (request, reply) => {
      const length = request.headers['content-length']
      const result = await uploadBlob(deps, request.params.digest, request.raw, length === undefined ? undefined : Number(length))
      return reply.status(result.created ? 201 : 200).send(result)
    },
  )
}
