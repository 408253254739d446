import type { CreateRequestInput, ListRequestsParams, PolicyDocument, PromotionCheck, ReviewInput, SetPolicyInput, TransitionRequest, Version } from '@canon/api'
import { paths } from './paths'
import type { Transport } from './transport'

/** Promotion policies, transition requests with four-eyes review, and rollback. */
export class GovernanceApi {
  constructor(private readonly http: Transport) {}

  /** The policy in force for a model ('*': the global default), and where it comes from. */
  policy(scope: string): Promise<PolicyDocument> {
    return this.http.json('GET', paths.policy(scope))
  }

  /** Admins: replaces the policy of '*' or of one model; fields left out take their defaults (nothing required). */
  setPolicy(scope: string, policy: SetPolicyInput): Promise<PolicyDocument> {
    return this.http.json('PUT', paths.policy(scope), { json: policy })
  }

  /** Dry run: every gate for moving a version to a stage (default Production) or, with `alias`, an alias. */
  promotionCheck(model: string, version: number, target: { stage?: string; alias?: string } = {}): Promise<PromotionCheck> {
    return this.http.json('GET', paths.promotionCheck(model, version), { query: target })
  }

  /** Asks approvers to move a version to a stage or an alias; refused with POLICY_NOT_SATISFIED when a gate fails. */
  request(model: string, version: number, input: CreateRequestInput): Promise<TransitionRequest> {
    return this.http.json('POST', paths.versionRequests(model, version), { json: input })
  }

  /** The inbox: pending requests the caller may review; with `mine`, the caller's own. */
  async requests(query: ListRequestsParams = {}): Promise<TransitionRequest[]> {
    const { items } = await this.http.json<{ items: TransitionRequest[] }>('GET', paths.requests(), { query })
    return items
  }

  getRequest(id: number): Promise<TransitionRequest> {
    return this.http.json('GET', paths.request(id))
  }

  /** Approve or reject; the approval that completes the count applies the change at once. */
  review(id: number, input: ReviewInput): Promise<TransitionRequest> {
    return this.http.json('POST', `${paths.request(id)}/reviews`, { json: input })
  }

  cancel(id: number, reason?: string): Promise<TransitionRequest> {
    return this.http.json('POST', `${paths.request(id)}/cancel`, { json: reason === undefined ? {} : { reason } })
  }

  /** Puts the previous Production version back and archives the current one. */
  rollback(model: string, reason: string, options: { override?: boolean } = {}): Promise<Version> {
    return this.http.json('POST', paths.rollback(model), { json: { reason, ...options } })
  }
}
