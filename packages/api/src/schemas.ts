import { Type, type Static } from 'typebox'
import { ALIAS_PATTERN, DIGEST_PATTERN, Limits } from './limits'
import { LineageInputSchema } from './lineage'
import { FilterLimits } from './search'

// One source for request validation, response serialisation and the OpenAPI document.

export const StageSchema = Type.Union([Type.Literal('None'), Type.Literal('Staging'), Type.Literal('Production'), Type.Literal('Archived')], {
  description: 'Lifecycle stage of a version',
})
export const TagsSchema = Type.Record(Type.String({ minLength: 1, maxLength: Limits.tagKey }), Type.String({ maxLength: Limits.tagValue }), {
  description: 'Key/value tags',
})
export const DigestSchema = Type.String({ pattern: DIGEST_PATTERN, description: 'sha256:<64 lowercase hex>' })
export const ModelNameSchema = Type.String({ minLength: 1, maxLength: Limits.modelName, description: 'Registered model name' })
export const AliasNameSchema = Type.String({ pattern: ALIAS_PATTERN, description: 'Alias name' })
export const TimestampSchema = Type.String({ format: 'date-time' })

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { description: 'Every failure: a stable code, a message a person can act on, and optional details' },
)

export const FileEntrySchema = Type.Object({
  path: Type.String({ minLength: 1, maxLength: Limits.filePath }),
  size: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  digest: DigestSchema,
})

export const ModelSchema = Type.Object({
  name: Type.String(),
  description: Type.String(),
  tags: Type.Record(Type.String(), Type.String()),
  aliases: Type.Record(Type.String(), Type.Integer(), { description: 'alias → version number' }),
  latestVersion: Type.Union([Type.Integer(), Type.Null()]),
  productionVersion: Type.Union([Type.Integer(), Type.Null()], { description: 'Highest version in Production, if any' }),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  createdBy: Type.String(),
})

export const VersionSummarySchema = Type.Object({
  model: Type.String(),
  version: Type.Integer(),
  description: Type.String(),
  stage: StageSchema,
  source: Type.Union([Type.String(), Type.Null()]),
  runId: Type.Union([Type.String(), Type.Null()]),
  runLink: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Record(Type.String(), Type.String()),
  metrics: Type.Record(Type.String(), Type.Number()),
  params: Type.Record(Type.String(), Type.String()),
  aliases: Type.Array(Type.String()),
  fileCount: Type.Integer(),
  totalSize: Type.Integer(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  createdBy: Type.String(),
  stageUpdatedAt: TimestampSchema,
  approval: Type.Object({
    status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
    by: Type.Union([Type.String(), Type.Null()]),
    at: Type.Union([TimestampSchema, Type.Null()]),
    comment: Type.Union([Type.String(), Type.Null()]),
  }),
})

export const VersionSchema = Type.Intersect([VersionSummarySchema, Type.Object({ files: Type.Array(FileEntrySchema) })])

export const TransitionSchema = Type.Object({
  fromStage: StageSchema,
  toStage: StageSchema,
  actor: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  at: TimestampSchema,
})

export const PageSchema = <T extends import('typebox').TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) })

// ---- requests

export const CreateModelBody = Type.Object(
  {
    name: ModelNameSchema,
    description: Type.Optional(Type.String({ maxLength: Limits.description })),
    tags: Type.Optional(TagsSchema),
  },
  { additionalProperties: false },
)

export const UpdateModelBody = Type.Object(
  {
    name: Type.Optional(ModelNameSchema),
    description: Type.Optional(Type.String({ maxLength: Limits.description })),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const SetTagBody = Type.Object({ value: Type.String({ maxLength: Limits.tagValue }) }, { additionalProperties: false })

export const CreateVersionBody = Type.Object(
  {
    files: Type.Array(FileEntrySchema, { maxItems: Limits.filesPerVersion }),
    description: Type.Optional(Type.String({ maxLength: Limits.description })),
    tags: Type.Optional(TagsSchema),
    source: Type.Optional(Type.String({ minLength: 1, maxLength: Limits.source })),
    runId: Type.Optional(Type.String({ minLength: 1, maxLength: Limits.runId })),
    metrics: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: Limits.tagKey }), Type.Number())),
    params: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: Limits.tagKey }), Type.String({ maxLength: Limits.paramValue }))),
    lineage: Type.Optional(LineageInputSchema),
  },
  { additionalProperties: false },
)

export const UpdateVersionBody = Type.Object(
  { description: Type.String({ maxLength: Limits.description }) },
  { additionalProperties: false },
)

export const TransitionStageBody = Type.Object(
  {
    stage: StageSchema,
    archiveExisting: Type.Optional(Type.Boolean({ default: true, description: 'When promoting to Production, archive the current Production version(s)' })),
    reason: Type.Optional(Type.String({ maxLength: Limits.reason })),
    override: Type.Optional(Type.Boolean({ description: "Admins only: promote although the model's policy is not satisfied (emergency; needs a reason; audited)" })),
  },
  { additionalProperties: false },
)

export const SetApprovalBody = Type.Object(
  {
    status: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
    comment: Type.Optional(Type.String({ maxLength: Limits.reason })),
  },
  { additionalProperties: false },
)

export const SetAliasBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    override: Type.Optional(Type.Boolean({ description: 'Admins only: move a protected alias without a request (emergency; needs a reason; audited)' })),
    reason: Type.Optional(Type.String({ maxLength: Limits.reason })),
  },
  { additionalProperties: false },
)

export const SortFields = ['name', 'created', 'updated'] as const
export const ListModelsQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: Limits.modelName, description: 'Name substring (case-insensitive)' })),
    tag: Type.Optional(Type.Array(Type.String({ maxLength: 6000 }), { maxItems: 20, description: 'key or key=value; repeat for AND' })),
    stage: Type.Optional(StageSchema),
    approval: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')], { description: 'models with a version in this approval status' })),
    sort: Type.Optional(Type.Union([Type.Literal('name'), Type.Literal('created'), Type.Literal('updated')])),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: Limits.pageSize })),
    cursor: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
)

export const ListVersionsQuery = Type.Object(
  {
    model: Type.Optional(ModelNameSchema),
    stage: Type.Optional(StageSchema),
    tag: Type.Optional(Type.Array(Type.String({ maxLength: 6000 }), { maxItems: 20, description: 'key or key=value; repeat for AND' })),
    runId: Type.Optional(Type.String({ maxLength: Limits.runId })),
    approval: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')])),
    createdAfter: Type.Optional(TimestampSchema),
    createdBefore: Type.Optional(TimestampSchema),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: Limits.pageSize })),
    cursor: Type.Optional(Type.String({ maxLength: 2048 })),
    filter: Type.Optional(
      Type.String({
        maxLength: FilterLimits.length,
        description: "search language, e.g. metrics.val_auc > 0.9 AND (tags.team = 'risk' OR params.max_depth = '6'); combines with the other parameters by AND",
      }),
    ),
  },
  { additionalProperties: false },
)

export const GcReportSchema = Type.Object({
  applied: Type.Boolean(),
  graceSeconds: Type.Integer(),
  scanned: Type.Integer(),
  referenced: Type.Integer(),
  tooYoung: Type.Integer(),
  collected: Type.Array(Type.Object({ digest: Type.String(), size: Type.Integer() })),
  collectedBytes: Type.Integer(),
  /** abandoned resumable uploads removed (applied runs only) */
  expiredUploads: Type.Optional(Type.Integer()),
})

export const GcBody = Type.Object(
  {
    apply: Type.Optional(Type.Boolean({ default: false })),
    graceSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 * 365 * 24 * 3600, default: 3600 })),
  },
  { additionalProperties: false },
)

export const BlobUploadSchema = Type.Object({ digest: Type.String(), size: Type.Integer(), created: Type.Boolean() })

export type Model = Static<typeof ModelSchema>
export type VersionSummary = Static<typeof VersionSummarySchema>
export type Version = Static<typeof VersionSchema>
export type FileEntry = Static<typeof FileEntrySchema>
export type Transition = Static<typeof TransitionSchema>
export type Page<T> = { items: T[]; nextCursor: string | null }
export type CreateModelInput = Static<typeof CreateModelBody>
export type UpdateModelInput = Static<typeof UpdateModelBody>
export type CreateVersionInput = Static<typeof CreateVersionBody>
export type TransitionStageInput = Static<typeof TransitionStageBody>
export type ListModelsParams = Static<typeof ListModelsQuery>
export type ListVersionsParams = Static<typeof ListVersionsQuery>
export type GcReport = Static<typeof GcReportSchema>
export type BlobUpload = Static<typeof BlobUploadSchema>

// ---- identities

export const GrantSchema = Type.Object({ role: Type.String(), scope: Type.String() })
export const UserSchema = Type.Object({
  name: Type.String(),
  kind: Type.String(),
  createdAt: TimestampSchema,
  createdBy: Type.String(),
  disabled: Type.Boolean(),
  grants: Type.Array(GrantSchema),
})
export const TokenSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  hint: Type.String({ description: 'first characters of the token, to tell tokens apart' }),
  createdAt: TimestampSchema,
  expiresAt: Type.Union([TimestampSchema, Type.Null()]),
  revokedAt: Type.Union([TimestampSchema, Type.Null()]),
  lastUsedAt: Type.Union([TimestampSchema, Type.Null()]),
})
export const CreatedTokenSchema = Type.Intersect([TokenSchema, Type.Object({ token: Type.String({ description: 'shown once; only its hash is stored' }) })])
export const WhoAmISchema = Type.Object({ name: Type.String(), authEnabled: Type.Boolean(), grants: Type.Array(GrantSchema) })
export const CreateUserBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 128 }), kind: Type.Optional(Type.Union([Type.Literal('user'), Type.Literal('service')])) },
  { additionalProperties: false },
)
export const CreateTokenBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 128 }), expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })) },
  { additionalProperties: false },
)
export const GrantBody = Type.Object(
  { role: Type.Union([Type.Literal('viewer'), Type.Literal('editor'), Type.Literal('approver'), Type.Literal('admin')]), scope: Type.String({ minLength: 1, maxLength: 257 }) },
  { additionalProperties: false },
)

export type User = Static<typeof UserSchema>
export type ApiToken = Static<typeof TokenSchema>
export type CreatedToken = Static<typeof CreatedTokenSchema>
export type WhoAmI = Static<typeof WhoAmISchema>

// ---- model cards

export const CardFieldNames = ['intendedUse', 'outOfScopeUses', 'trainingData', 'evaluationResults', 'limitationsAndBiases', 'ethicalConsiderations', 'owners'] as const
export type CardFieldName = (typeof CardFieldNames)[number]

const cardText = (description: string) => Type.String({ maxLength: Limits.cardField, description })
export const CardOwnerSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: Limits.cardField }), contact: Type.String({ maxLength: Limits.cardField, description: 'e-mail, chat handle or team page' }) },
  { additionalProperties: false },
)
const cardFields = {
  intendedUse: cardText('What the model is for, and for whom'),
  outOfScopeUses: cardText('Uses the model must not be put to'),
  trainingData: cardText('Data the model was trained on'),
  evaluationResults: cardText('How it was evaluated and what it scored'),
  limitationsAndBiases: cardText('Known limitations and biases'),
  ethicalConsiderations: cardText('Ethical considerations'),
  owners: Type.Array(CardOwnerSchema, { maxItems: Limits.cardOwners, description: 'Who answers for the model' }),
  body: Type.String({ maxLength: Limits.cardBody, description: 'Free-form Markdown' }),
}

/** PUT replaces the whole card; a field left out is stored empty. */
export const SetCardBody = Type.Object(
  {
    intendedUse: Type.Optional(cardFields.intendedUse),
    outOfScopeUses: Type.Optional(cardFields.outOfScopeUses),
    trainingData: Type.Optional(cardFields.trainingData),
    evaluationResults: Type.Optional(cardFields.evaluationResults),
    limitationsAndBiases: Type.Optional(cardFields.limitationsAndBiases),
    ethicalConsiderations: Type.Optional(cardFields.ethicalConsiderations),
    owners: Type.Optional(cardFields.owners),
    body: Type.Optional(cardFields.body),
  },
  { additionalProperties: false },
)

export const CardSchema = Type.Object({
  model: Type.String(),
  version: Type.Union([Type.Integer(), Type.Null()], { description: 'null for the model card' }),
  ...cardFields,
  updatedAt: Type.Union([TimestampSchema, Type.Null()], { description: 'null while the card has never been written' }),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
  complete: Type.Boolean({ description: 'every structured field filled (a version card counts the model card fields it falls back to)' }),
  missingFields: Type.Array(Type.String(), { description: 'structured fields still empty' }),
  inheritedFields: Type.Array(Type.String(), { description: 'version cards: fields empty here and taken from the model card' }),
})

export type CardOwner = Static<typeof CardOwnerSchema>
export type SetCardInput = Static<typeof SetCardBody>
export type ModelCard = Static<typeof CardSchema>

// ---- audit

export const AuditQuerySchema = Type.Object(
  {
    target: Type.Optional(Type.String({ maxLength: 1024, description: 'exact target, e.g. model:churn or version:churn/3' })),
    targetPrefix: Type.Optional(Type.String({ maxLength: 1024 })),
    model: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: "a registered model's events, with its versions' and aliases'" })),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'e.g. version.stage' })),
    since: Type.Optional(Type.String({ format: 'date-time', description: 'inclusive' })),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'exclusive' })),
    after: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'events after this sequence number' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
)

export type AuditQuery = Static<typeof AuditQuerySchema>
