import { Type, type Static } from 'typebox'
import { Limits } from './limits'
import { DatasetRefSchema, LineageInputSchema } from './lineage'

// Wire shapes for the native tracking API: runs that log params, metrics, datasets and artifacts, then register a version.

const KeyName = Type.String({ minLength: 1, maxLength: 250 })
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()])

export const RunSchema = Type.Object({
  id: Type.String(),
  experiment: Type.Object({ id: Type.String(), name: Type.String() }),
  name: Type.String(),
  status: Type.String(),
  user: Type.String(),
  startTime: Type.String({ format: 'date-time' }),
  endTime: Nullable(Type.String({ format: 'date-time' })),
  durationMs: Nullable(Type.Integer()),
  artifactUri: Type.String(),
  params: Type.Record(Type.String(), Type.String()),
  metrics: Type.Record(Type.String(), Type.Number(), { description: 'latest value of each metric' }),
  tags: Type.Record(Type.String(), Type.String()),
  datasets: Type.Array(Type.Object({ uri: Type.String(), digest: Type.String(), role: Type.String() })),
})

export const CreateRunBody = Type.Object(
  {
    experiment: Type.String({ minLength: 1, maxLength: 500, description: 'experiment name; created if it does not exist' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 250 })),
    tags: Type.Optional(Type.Record(KeyName, Type.String({ maxLength: Limits.tagValue }), { maxProperties: 100 })),
    params: Type.Optional(Type.Record(KeyName, Type.String({ maxLength: Limits.paramValue }), { maxProperties: 100 })),
  },
  { additionalProperties: false },
)

export const MetricPointSchema = Type.Object(
  {
    key: KeyName,
    value: Type.Number(),
    step: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    timestamp: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  },
  { additionalProperties: false },
)

export const LogRunBody = Type.Object(
  {
    params: Type.Optional(Type.Record(KeyName, Type.String({ maxLength: Limits.paramValue }), { maxProperties: 100 })),
    metrics: Type.Optional(Type.Array(MetricPointSchema, { maxItems: 1000 })),
    tags: Type.Optional(Type.Record(KeyName, Type.String({ maxLength: Limits.tagValue }), { maxProperties: 100 })),
    datasets: Type.Optional(Type.Array(DatasetRefSchema, { maxItems: 100 })),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const EndRunBody = Type.Object(
  { status: Type.Optional(Type.Union([Type.Literal('FINISHED'), Type.Literal('FAILED'), Type.Literal('KILLED')])) },
  { additionalProperties: false },
)

export const RegisterRunBody = Type.Object(
  {
    model: Type.String({ minLength: 1, maxLength: Limits.modelName }),
    path: Type.Optional(Type.String({ maxLength: Limits.filePath, description: "artifact directory of the run to register (default: all of the run's artifacts)" })),
    description: Type.Optional(Type.String({ maxLength: Limits.description })),
    tags: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: Limits.tagKey }), Type.String({ maxLength: Limits.tagValue }))),
    lineage: Type.Optional(LineageInputSchema),
  },
  { additionalProperties: false },
)

export const MetricHistorySchema = Type.Object({
  key: Type.String(),
  history: Type.Array(Type.Object({ value: Nullable(Type.Number()), step: Type.Integer(), timestamp: Type.Integer() })),
})

export const ArtifactUploadSchema = Type.Object({ path: Type.String(), size: Type.Integer(), digest: Type.String() })

export type Run = Static<typeof RunSchema>
export type CreateRunInput = Static<typeof CreateRunBody>
export type LogRunInput = Static<typeof LogRunBody>
export type RegisterRunInput = Static<typeof RegisterRunBody>
export type MetricHistory = Static<typeof MetricHistorySchema>
