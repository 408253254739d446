import { allow, fromParam } from '../permission-rules'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorSchema, FileEntrySchema } from '@canon/api'
import { findVersionFile, listVersionFiles } from '../../services/blobs.service'
import { sendBlob } from '../send-blob'
import type { RouteOptions } from './route-deps'
import { FileParams, VersionParams } from './params'

const tags = ['files']

export const fileRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.get(
    '/models/:model/versions/:version/files',
    { config: allow.read(fromParam), schema: { tags, summary: "A version's manifest: path, size and sha256 of each file", params: VersionParams, response: { 200: Type.Object({ files: Type.Array(FileEntrySchema) }), '4xx': ErrorSchema } } },
    async (request) => ({ files: await listVersionFiles(deps, request.params.model, request.params.version) }),
  )

  app.get(
    '/models/:model/versions/:version/files/*',
    { config: allow.read(fromParam), schema: {
        tags,
        summary: 'Download one file of a version (streams; supports Range; ETag is the digest)',
        params: FileParams,
        response: { 200: { description: 'file bytes', content: { 'application/octet-stream': { schema: {} } } }, '4xx': ErrorSchema },
      },
    },
    async (request, reply) => {
      const file = await findVersionFile(deps, request.params.model, request.params.version, request.params['*'])
      return sendBlob(request, reply, deps.blobs, { digest: file.digest, size: file.size, filename: file.path.split('/').at(-1) })
    },
  )
}
