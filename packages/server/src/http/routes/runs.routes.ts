import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ArtifactUploadSchema, CreateRunBody, EndRunBody, ErrorSchema, LogRunBody, MetricHistorySchema, RegisterRunBody, RunSchema, VersionSchema } from '@canon/api'
import { allow, anywhere, fromBodyModel } from '../permission-rules'
import { endRun, logArtifact, logToRun, metricHistory, registerFromRun, runView, startRun } from '../../services/tracking/native-runs.service'
import type { RouteOptions } from './route-deps'

const tags = ['runs']
const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema }
const run = Type.String({ minLength: 1, maxLength: 64, description: 'Run id' })
const RunParams = Type.Object({ run })

// Runs belong to experiments, not models: any editor may track them (as on the MLflow face); registering needs write on the model.
export const runRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.post('/runs', { config: allow.write(anywhere), schema: { tags, summary: 'Start a run in an experiment (created if missing)', body: CreateRunBody, response: { 201: RunSchema, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await startRun(deps, request.actor, request.body)),
  )

  app.get('/runs/:run', { config: allow.read(anywhere), schema: { tags, summary: 'A run with its params, latest metrics, tags and datasets', params: RunParams, response: { 200: RunSchema, ...errors } } }, async (request) =>
    runView(deps.store, request.params.run),
  )

  app.post(
    '/runs/:run/log',
    { config: allow.write(anywhere), schema: { tags, summary: 'Log params, metrics (with steps), tags and datasets', params: RunParams, body: LogRunBody, response: { 200: RunSchema, ...errors } } },
    async (request) => logToRun(deps, request.params.run, request.body),
  )

  app.get(
    '/runs/:run/metrics/:key',
    { config: allow.read(anywhere), schema: { tags, summary: "A metric's full history", params: Type.Object({ run, key: Type.String({ minLength: 1, maxLength: 250 }) }), response: { 200: MetricHistorySchema, ...errors } } },
    async (request) => metricHistory(deps, request.params.run, request.params.key),
  )

  app.post('/runs/:run/end', { config: allow.write(anywhere), schema: { tags, summary: 'End a run (FINISHED by default)', params: RunParams, body: EndRunBody, response: { 200: RunSchema, ...errors } } }, async (request) =>
    endRun(deps, request.params.run, request.body.status),
  )

  app.post(
    '/runs/:run/register',
    { config: allow.write(fromBodyModel), schema: { tags, summary: "Register the run's artifacts as a new version (lineage from the run)", params: RunParams, body: RegisterRunBody, response: { 201: VersionSchema, ...errors } } },
    async (request, reply) => reply.status(201).send(await registerFromRun(deps, request.actor, request.params.run, request.body)),
  )

  await app.register(async (raw) => {
    // Artifact bodies are raw bytes: leave the stream for the blob store.
    raw.removeAllContentTypeParsers()
    raw.addContentTypeParser('*', (_request, _payload, done) => done(null))
    raw.put(
      '/runs/:run/artifacts/*',
      { config: allow.write(anywhere), schema: { tags, summary: 'Upload one artifact file of the run (raw body)', params: Type.Object({ run, '*': Type.String({ minLength: 1, maxLength: 1024 }) }), response: { 201: ArtifactUploadSchema, ...errors } } },
      async (request, reply) => {
        const params = request.params as { run: string; '*': string }
        return reply.status(201).send(await logArtifact(deps, params.run, params['*'], request.raw))
      },
    )
  })
}
