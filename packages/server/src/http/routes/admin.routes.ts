import { allow, globally } from '../permission-rules'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AuditQuerySchema, ErrorSchema, GcBody, GcReportSchema } from '@canon/api'
import { collectGarbage } from '../../services/gc.service'
import { listAuditEvents, verifyAuditChain } from '../../services/audit.service'
import type { RouteOptions } from './route-deps'

const AuditEventSchema = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  target: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
  reason: Type.Union([Type.String(), Type.Null()]),
  hash: Type.String(),
})

export const adminRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.post(
    '/admin/gc',
    { config: allow.admin(globally), schema: { tags: ['admin'], summary: 'Collect blobs no version references (dry run unless apply is true)', body: Type.Optional(GcBody), response: { 200: GcReportSchema, '4xx': ErrorSchema } } },
    async (request) => collectGarbage(deps, request.actor, { apply: request.body?.apply ?? false, graceSeconds: request.body?.graceSeconds ?? 3600 }),
  )

  app.get(
    '/audit',
    { config: allow.read(globally), schema: {
        tags: ['audit'],
        summary: 'Audit events in sequence order, paginated with after=nextAfter; filter by model, target, actor, action and time',
        querystring: AuditQuerySchema,
        response: { 200: Type.Object({ items: Type.Array(AuditEventSchema), nextAfter: Type.Union([Type.Integer(), Type.Null()]) }), '4xx': ErrorSchema },
      },
    },
    async (request) => listAuditEvents(deps, request.query),
  )

  app.get(
    '/audit/verify',
    { config: allow.read(globally), schema: { tags: ['audit'], summary: 'Recompute the hash chain over every audit event', response: { 200: Type.Object({ ok: Type.Boolean(), events: Type.Integer(), brokenAt: Type.Optional(Type.Integer()), why: Type.Optional(Type.String()) }) } } },
    async () => verifyAuditChain(deps),
  )
}
