import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CreateScheduleBody, ErrorSchema, ScheduleFireSchema, ScheduleSchema, UpdateScheduleBody } from '@canon/api'
import { createSchedule, deleteSchedule, getSchedule, listFires, listSchedules, setScheduleStatus, updateSchedule } from '../../services/schedules.service'
import { allow } from '../permission-rules'
import type { RouteOptions } from './route-deps'

const tags = ['schedules']
const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema }
const ScheduleParams = Type.Object({ schedule: Type.String({ minLength: 1, maxLength: 128, description: 'Schedule name' }) })
const FiresQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })) }, { additionalProperties: false })

// Admin only, like the webhooks they fire.
export const scheduleRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.post(
    '/schedules',
    { config: allow.admin(), schema: { tags, summary: 'A named cron schedule that fires a webhook with a fixed payload', body: CreateScheduleBody, response: { 201: ScheduleSchema, ...errors } } },
    async (request, reply) => reply.status(201).send(await createSchedule(deps, request.actor, request.body)),
  )

  app.get(
    '/schedules',
    { config: allow.admin(), schema: { tags, summary: 'Every schedule, by name', response: { 200: Type.Object({ items: Type.Array(ScheduleSchema) }), ...errors } } },
    async () => ({ items: await listSchedules(deps) }),
  )

  app.get(
    '/schedules/:schedule',
    { config: allow.admin(), schema: { tags, summary: 'A schedule with its next tick', params: ScheduleParams, response: { 200: ScheduleSchema, ...errors } } },
    async (request) => getSchedule(deps, request.params.schedule),
  )

  app.patch(
    '/schedules/:schedule',
    { config: allow.admin(), schema: { tags, summary: "Change a schedule's cron, time zone, payload or description", params: ScheduleParams, body: UpdateScheduleBody, response: { 200: ScheduleSchema, ...errors } } },
    async (request) => updateSchedule(deps, request.actor, request.params.schedule, request.body),
  )

  app.delete(
    '/schedules/:schedule',
    { config: allow.admin(), schema: { tags, summary: 'Delete a schedule and its history', params: ScheduleParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await deleteSchedule(deps, request.actor, request.params.schedule)
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/schedules/:schedule/pause',
    { config: allow.admin(), schema: { tags, summary: 'Stop a schedule firing until it is resumed', params: ScheduleParams, response: { 200: ScheduleSchema, ...errors } } },
    async (request) => setScheduleStatus(deps, request.actor, request.params.schedule, 'paused'),
  )

  app.post(
    '/schedules/:schedule/resume',
    { config: allow.admin(), schema: { tags, summary: 'Resume a paused schedule from its next tick (missed ticks are not made up)', params: ScheduleParams, response: { 200: ScheduleSchema, ...errors } } },
    async (request) => setScheduleStatus(deps, request.actor, request.params.schedule, 'active'),
  )

  app.get(
    '/schedules/:schedule/fires',
    { config: allow.admin(), schema: { tags, summary: 'The history of fires, newest first, with how each delivery went', params: ScheduleParams, querystring: FiresQuery, response: { 200: Type.Object({ items: Type.Array(ScheduleFireSchema) }), ...errors } } },
    async (request) => ({ items: await listFires(deps, request.params.schedule, request.query.limit) }),
  )
}
