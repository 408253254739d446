import { allow, anywhere } from '../permission-rules'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { BlobUploadSchema, CreateUploadBody, ErrorSchema, PART_DIGEST_HEADER, UploadPartSchema, UploadSessionSchema } from '@canon/api'
import { abortUpload, completeUpload, createUpload, getUpload, uploadPart } from '../../services/uploads.service'
import type { RouteOptions } from './route-deps'

const tags = ['uploads']
const UploadParams = Type.Object({ upload: Type.String({ maxLength: 100, description: 'upload session id' }) })
const PartParams = Type.Object({ upload: Type.String({ maxLength: 100 }), number: Type.Integer({ minimum: 1, maximum: 100_000, description: 'part number, from 1' }) })
const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema }

/**
 * Resumable uploads: open a session for a blob, PUT its numbered parts (each verified against its sha256) in any
 * order and as often as needed, GET the session to see which parts arrived, then complete.
 */
export const uploadRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.post(
    '/uploads',
    { config: allow.write(anywhere), schema: { tags, summary: 'Open a resumable upload of one blob (or get back your open upload of the same blob)', body: CreateUploadBody, response: { 200: UploadSessionSchema, 201: UploadSessionSchema, ...errors } } },
    async (request, reply) => {
      const { session, resumed } = await createUpload(deps, request.actor, request.body)
      return reply.status(resumed ? 200 : 201).header('location', `/api/v1/uploads/${session.id}`).send(session)
    },
  )

  app.get(
    '/uploads/:upload',
    { config: allow.write(anywhere), schema: { tags, summary: 'Which parts of an upload have arrived (a resuming client sends only the rest)', params: UploadParams, response: { 200: UploadSessionSchema, ...errors } } },
    async (request) => getUpload(deps, request.actor, request.params.upload),
  )

  app.post(
    '/uploads/:upload/complete',
    { config: allow.write(anywhere), schema: { tags, summary: 'Join the parts into the blob; stored only if the whole hashes to the digest', params: UploadParams, response: { 200: BlobUploadSchema, 201: BlobUploadSchema, ...errors } } },
    async (request, reply) => {
      const result = await completeUpload(deps, request.actor, request.params.upload)
      return reply.status(result.created ? 201 : 200).send(result)
    },
  )

  app.delete(
    '/uploads/:upload',
    { config: allow.write(anywhere), schema: { tags, summary: 'Abort an upload and drop its parts', params: UploadParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await abortUpload(deps, request.actor, request.params.upload)
      return reply.status(204).send(null)
    },
  )

  const rawBodies: FastifyPluginAsyncTypebox = async (raw) => {
    // Part bodies are raw bytes: leave the request stream unread for the handler to pipe into the store.
    raw.removeAllContentTypeParsers()
    raw.addContentTypeParser('*', (_request, _payload, done) => done(null))
    raw.put(
      '/uploads/:upload/parts/:number',
      { config: allow.write(anywhere), schema: { tags, summary: `Send one part; its sha256 goes in the ${PART_DIGEST_HEADER} header`, params: PartParams, response: { 200: UploadPartSchema, ...errors } } },
      async (request) => {
        const length = request.headers['content-length']
        const partDigest = request.headers[PART_DIGEST_HEADER]
        return uploadPart(deps, request.actor, request.params.upload, request.params.number, request.raw, {
          partDigest: Array.isArray(partDigest) ? partDigest[0] : partDigest,
          contentLength: length === undefined ? undefined : Number(length),
        })
      },
    )
  }
  await app.register(rawBodies)
}
