import { Type, type Static } from 'typebox'
import { ALIAS_PATTERN, Limits } from './limits'
import { StageSchema, TimestampSchema } from './schemas'

// Promotion policies, transition requests and their reviews, rollback.

const MetricRuleSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: Limits.tagKey }),
    higherIsBetter: Type.Boolean(),
    tolerance: Type.Number({ minimum: 0, description: 'how much worse than the Production value still passes' }),
  },
  { additionalProperties: false },
)

export const PolicySchema = Type.Object({
  requiredApprovals: Type.Integer({ minimum: 0, maximum: 10, description: 'distinct approvers, never the requester' }),
  requiredTags: Type.Array(Type.String({ minLength: 1, maxLength: Limits.tagKey }), { maxItems: 50 }),
  requiredMetrics: Type.Array(MetricRuleSchema, { maxItems: 50 }),
  protectedAliases: Type.Array(Type.String({ pattern: ALIAS_PATTERN }), { maxItems: 50 }),
  requiredCardFields: Type.Array(
    Type.Union([
      Type.Literal('intendedUse'),
      Type.Literal('outOfScopeUses'),
      Type.Literal('trainingData'),
      Type.Literal('evaluationResults'),
      Type.Literal('limitationsAndBiases'),
      Type.Literal('ethicalConsiderations'),
      Type.Literal('owners'),
    ]),
    { maxItems: 20, description: "model card fields that must be filled (the version's card, falling back to the model's)" },
  ),
})

export const SetPolicyBody = Type.Partial(PolicySchema, { additionalProperties: false })

export const PolicyDocumentSchema = Type.Object({
  scope: Type.String(),
  /** where the effective policy comes from: this scope, the global '*' policy, or the built-in default */
  source: Type.Union([Type.Literal('scope'), Type.Literal('global'), Type.Literal('default')]),
  policy: PolicySchema,
  updatedAt: Type.Union([TimestampSchema, Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
})

export const GateSchema = Type.Object({ gate: Type.String(), passed: Type.Boolean(), detail: Type.String() })

export const PromotionCheckSchema = Type.Object({
  model: Type.String(),
  version: Type.Integer(),
  target: Type.String(),
  /** true when every gate but approvals passes, so a request can be made */
  requestable: Type.Boolean(),
  /** true when the change may be made directly, without a request */
  direct: Type.Boolean(),
  gates: Type.Array(GateSchema),
})

export const PromotionCheckQuery = Type.Object(
  {
    stage: Type.Optional(StageSchema),
    alias: Type.Optional(Type.String({ minLength: 1, maxLength: Limits.alias })),
  },
  { additionalProperties: false },
)

export const RequestStatuses = ['pending', 'applied', 'rejected', 'cancelled'] as const
const RequestStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('applied'), Type.Literal('rejected'), Type.Literal('cancelled')])

export const ReviewSchema = Type.Object({
  reviewer: Type.String(),
  decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
  comment: Type.Union([Type.String(), Type.Null()]),
  at: TimestampSchema,
})

export const TransitionRequestSchema = Type.Object({
  id: Type.Integer(),
  model: Type.String(),
  version: Type.Integer(),
  kind: Type.Union([Type.Literal('stage'), Type.Literal('alias')]),
  target: Type.String(),
  status: RequestStatusSchema,
  requestedBy: Type.String(),
  comment: Type.Union([Type.String(), Type.Null()]),
  requiredApprovals: Type.Integer(),
  createdAt: TimestampSchema,
  decidedAt: Type.Union([TimestampSchema, Type.Null()]),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  reviews: Type.Array(ReviewSchema),
})

export const CreateRequestBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('stage'), Type.Literal('alias')]),
    target: Type.String({ minLength: 1, maxLength: Limits.alias, description: 'a stage name, or an alias name' }),
    comment: Type.Optional(Type.String({ maxLength: Limits.reason })),
  },
  { additionalProperties: false },
)

export const ReviewBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    comment: Type.Optional(Type.String({ maxLength: Limits.reason })),
  },
  { additionalProperties: false },
)

export const CancelRequestBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: Limits.reason })) }, { additionalProperties: false })

export const ListRequestsQuery = Type.Object(
  {
    status: Type.Optional(RequestStatusSchema),
    model: Type.Optional(Type.String({ minLength: 1, maxLength: Limits.modelName })),
    mine: Type.Optional(Type.Boolean({ description: "the caller's own requests instead of those the caller may review" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: Limits.pageSize })),
  },
  { additionalProperties: false },
)

export const RollbackBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: Limits.reason }),
    override: Type.Optional(Type.Boolean({ description: "Admins only: roll back although the model's policy is not satisfied (audited)" })),
  },
  { additionalProperties: false },
)

export type Policy = Static<typeof PolicySchema>
export type SetPolicyInput = Static<typeof SetPolicyBody>
export type PolicyDocument = Static<typeof PolicyDocumentSchema>
export type Gate = Static<typeof GateSchema>
export type PromotionCheck = Static<typeof PromotionCheckSchema>
export type TransitionRequest = Static<typeof TransitionRequestSchema>
export type RequestStatus = (typeof RequestStatuses)[number]
export type Review = Static<typeof ReviewSchema>
export type CreateRequestInput = Static<typeof CreateRequestBody>
export type ReviewInput = Static<typeof ReviewBody>
export type ListRequestsParams = Static<typeof ListRequestsQuery>
export type RollbackInput = Static<typeof RollbackBody>
