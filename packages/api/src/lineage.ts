import { Type, type Static } from 'typebox'
import { Limits } from './limits'

// Wire shapes for lineage, comparison and deployments (issue #5).

const Text = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, ...(description && { description }) })
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()])

export const DatasetRefSchema = Type.Object(
  {
    uri: Text(Limits.source, '`dataset://name/version` or any URI'),
    digest: Text(256, 'content digest of the dataset (sha256:… or the digest your tooling computes)'),
    role: Type.Optional(Text(64, 'training (default), validation, test, …')),
  },
  { additionalProperties: false },
)

export const CodeRefSchema = Type.Object(
  {
    repository: Type.Optional(Text(Limits.source)),
    commit: Type.Optional(Text(128)),
    branch: Type.Optional(Text(256)),
    dirty: Type.Optional(Type.Boolean({ description: 'uncommitted changes in the working tree' })),
    entryPoint: Type.Optional(Text(1024)),
  },
  { additionalProperties: false },
)

export const EnvironmentRefSchema = Type.Object(
  {
    image: Type.Optional(Text(1024, 'container image reference')),
    runtime: Type.Optional(Type.Record(Text(64), Type.String({ maxLength: 128 }), { maxProperties: 50, description: 'runtime → version, e.g. {"python": "3.11.7"}' })),
    packages: Type.Optional(Type.Array(Text(512), { maxItems: 5000, description: 'package specifiers, e.g. "scikit-learn==1.5.2"' })),
  },
  { additionalProperties: false },
)

export const ParentRefSchema = Type.Object(
  { model: Type.String({ minLength: 1, maxLength: Limits.modelName }), version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false, description: 'the version this one was fine-tuned from' },
)

export const LineageInputSchema = Type.Object(
  {
    datasets: Type.Optional(Type.Array(DatasetRefSchema, { maxItems: 200 })),
    code: Type.Optional(CodeRefSchema),
    environment: Type.Optional(EnvironmentRefSchema),
    parent: Type.Optional(ParentRefSchema),
  },
  { additionalProperties: false },
)

export const LineageNodeKinds = ['version', 'run', 'experiment', 'dataset', 'code', 'environment', 'deployment'] as const

export const LineageNodeSchema = Type.Object({
  id: Type.String({ description: 'stable within the graph, e.g. "version:churn/3", "dataset:12"' }),
  kind: Type.Union([Type.Literal('version'), Type.Literal('run'), Type.Literal('experiment'), Type.Literal('dataset'), Type.Literal('code'), Type.Literal('environment'), Type.Literal('deployment')]),
  label: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
})

export const LineageEdgeSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  kind: Type.String({ description: 'trained_on, produced_by, part_of, built_from, runs_in, fine_tuned_from, serves' }),
})

export const LineageGraphSchema = Type.Object({
  root: Type.String(),
  nodes: Type.Array(LineageNodeSchema),
  edges: Type.Array(LineageEdgeSchema),
})

export const LineageQuery = Type.Object(
  { depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'parent/child hops to follow (default 3)' })) },
  { additionalProperties: false },
)

export const VersionRefSchema = Type.Object({
  model: Type.String(),
  version: Type.Integer(),
  stage: Type.String(),
  approval: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  serving: Type.Array(Type.Object({ deployment: Type.String(), environment: Type.String(), weight: Type.Integer() })),
})

export const DatasetConsumersQuery = Type.Object(
  {
    uri: Type.String({ minLength: 1, maxLength: Limits.source }),
    digest: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    stage: Type.Optional(Type.String({ maxLength: 32, description: 'only versions in this stage (e.g. Production)' })),
    serving: Type.Optional(Type.Boolean({ description: 'only versions that receive traffic' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: Limits.pageSize })),
    cursor: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
)

export const DatasetConsumersSchema = Type.Object({
  datasets: Type.Array(Type.Object({ uri: Type.String(), digest: Type.String(), name: Type.String() })),
  items: Type.Array(Type.Intersect([VersionRefSchema, Type.Object({ dataset: Type.Object({ uri: Type.String(), digest: Type.String(), role: Type.String() }) })])),
  nextCursor: Nullable(Type.String()),
})

export const DescendantsSchema = Type.Object({
  items: Type.Array(Type.Intersect([VersionRefSchema, Type.Object({ parent: Type.Object({ model: Type.String(), version: Type.Integer() }), depth: Type.Integer() })])),
  truncated: Type.Boolean({ description: 'true when the walk stopped at its depth or size bound' }),
})

// ---- comparison

export const CompareQuery = Type.Object(
  { versions: Type.String({ minLength: 1, maxLength: 200, description: 'comma-separated version numbers, 2 to 10' }) },
  { additionalProperties: false },
)

const Cells = <T extends import('typebox').TSchema>(t: T) => Type.Array(Nullable(t), { description: 'one cell per compared version, in request order' })

export const ComparisonSchema = Type.Object({
  model: Type.String(),
  versions: Type.Array(Type.Integer()),
  productionVersion: Nullable(Type.Integer()),
  overview: Type.Array(
    Type.Object({
      version: Type.Integer(),
      stage: Type.String(),
      approval: Type.String(),
      createdAt: Type.String({ format: 'date-time' }),
      runId: Nullable(Type.String()),
      fileCount: Type.Integer(),
      totalSize: Type.Integer(),
      trainingDurationMs: Nullable(Type.Integer()),
      codeCommit: Nullable(Type.String()),
    }),
  ),
  metrics: Type.Array(
    Type.Object({
      key: Type.String(),
      values: Cells(Type.Number()),
      deltaVsFirst: Cells(Type.Number()),
      production: Nullable(Type.Number()),
      deltaVsProduction: Cells(Type.Number()),
    }),
  ),
  params: Type.Object({
    changed: Type.Array(Type.Object({ key: Type.String(), values: Cells(Type.String()) })),
    unchanged: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
  }),
  datasets: Type.Array(Type.Object({ uri: Type.String(), digest: Type.String(), usedBy: Type.Array(Type.Boolean()) })),
  code: Type.Array(Type.Object({ field: Type.String(), values: Cells(Type.String()), same: Type.Boolean() })),
  environment: Type.Object({
    changed: Type.Array(Type.Object({ key: Type.String(), values: Cells(Type.String()) })),
    unchanged: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
  }),
  files: Type.Array(
    Type.Object({
      path: Type.String(),
      status: Type.Union([Type.Literal('same'), Type.Literal('changed'), Type.Literal('added'), Type.Literal('removed')], { description: 'against the first version' }),
      digests: Cells(Type.String()),
      sizes: Cells(Type.Integer()),
    }),
  ),
})

// ---- deployments

export const DEPLOYMENT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$'
export const DeploymentStatuses = ['active', 'paused', 'retired'] as const

export const SplitSchema = Type.Record(Type.String({ pattern: '^[1-9][0-9]{0,9}$' }), Type.Integer({ minimum: 0, maximum: 100 }), {
  description: 'version number → percent of traffic; the weights sum to 100',
  minProperties: 1,
  maxProperties: 20,
})

export const PutDeploymentBody = Type.Object(
  {
    model: Type.String({ minLength: 1, maxLength: Limits.modelName }),
    environment: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', description: 'e.g. prod, staging' }),
    split: SplitSchema,
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('paused'), Type.Literal('retired')])),
    description: Type.Optional(Type.String({ maxLength: Limits.description })),
    reason: Type.Optional(Type.String({ maxLength: Limits.reason })),
  },
  { additionalProperties: false },
)

export const DeploymentTargetSchema = Type.Object({
  version: Type.Integer(),
  weight: Type.Integer(),
  stage: Type.String(),
  archived: Type.Boolean({ description: 'the version was archived but still receives traffic' }),
})

export const DeploymentSchema = Type.Object({
  name: Type.String(),
  environment: Type.String(),
  model: Type.String(),
  status: Type.String(),
  description: Type.String(),
  revision: Type.Integer(),
  split: Type.Array(DeploymentTargetSchema),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.String(),
})

export const DeploymentHistoryEntrySchema = Type.Object({
  revision: Type.Integer(),
  model: Type.String(),
  environment: Type.String(),
  status: Type.String(),
  split: Type.Record(Type.String(), Type.Integer()),
  actor: Type.String(),
  reason: Nullable(Type.String()),
  at: Type.String({ format: 'date-time' }),
})

export const ListDeploymentsQuery = Type.Object(
  {
    model: Type.Optional(Type.String({ minLength: 1, maxLength: Limits.modelName })),
    environment: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: Limits.pageSize })),
    cursor: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
)

export const RouteQuery = Type.Object({ key: Type.String({ minLength: 1, maxLength: 1024, description: 'request id; the same key always gets the same version' }) }, { additionalProperties: false })

export const RouteDecisionSchema = Type.Object({
  deployment: Type.String(),
  model: Type.String(),
  version: Type.Integer(),
  weight: Type.Integer(),
  revision: Type.Integer(),
  uri: Type.String({ description: 'model://<model>/v<version>' }),
})

export const DeleteDeploymentQuery = Type.Object({ reason: Type.Optional(Type.String({ maxLength: Limits.reason })) }, { additionalProperties: false })

export type LineageInput = Static<typeof LineageInputSchema>
export type DatasetRef = Static<typeof DatasetRefSchema>
export type LineageGraph = Static<typeof LineageGraphSchema>
export type LineageNode = Static<typeof LineageNodeSchema>
export type VersionRef = Static<typeof VersionRefSchema>
export type DatasetConsumers = Static<typeof DatasetConsumersSchema>
export type Descendants = Static<typeof DescendantsSchema>
export type Comparison = Static<typeof ComparisonSchema>
export type PutDeploymentInput = Static<typeof PutDeploymentBody>
export type Deployment = Static<typeof DeploymentSchema>
export type DeploymentHistoryEntry = Static<typeof DeploymentHistoryEntrySchema>
export type RouteDecision = Static<typeof RouteDecisionSchema>
