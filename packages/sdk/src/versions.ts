import type { CreateVersionInput, Page, Transition, Version, VersionSummary } from '@canon/api'
import { iteratePages } from './pagination'
import { paths } from './paths'
import type { Transport } from './transport'
import type { StageChange, VersionQuery } from './types'

export class VersionsApi {
  constructor(private readonly http: Transport) {}

  /** Registers a version from a manifest whose blobs are already uploaded (see `pushVersion` for the whole flow). */
  create(model: string, input: CreateVersionInput): Promise<Version> {
    return this.http.json('POST', paths.versions(model), { json: input })
  }

  get(model: string, version: number): Promise<Version> {
    return this.http.json('GET', paths.version(model, version))
  }

  /** One page of one model's versions when `model` is set, else of versions across all models. */
  list(query: VersionQuery = {}): Promise<Page<VersionSummary>> {
    const { model, ...rest } = query
    const params = { ...rest, tag: rest.tag === undefined ? undefined : [rest.tag].flat() }
    return this.http.json('GET', model === undefined ? paths.allVersions() : paths.versions(model), { query: params })
  }

  /**
   * One page of versions matching a search-language filter, e.g. `metrics.val_auc > 0.9 AND (tags.team = 'risk' OR params.max_depth = '6')`;
   * the other fields of the query narrow it further. A malformed filter is refused with INVALID_FILTER naming the character.
   */
  search(query: VersionQuery & { filter: string }): Promise<Page<VersionSummary>> {
    return this.list(query)
  }

  iterate(query: Omit<VersionQuery, 'cursor'> = {}): AsyncGenerator<VersionSummary> {
    return iteratePages((cursor) => this.list({ ...query, cursor }))
  }

  /** Only the description can change; everything else about a version is immutable. */
  update(model: string, version: number, description: string): Promise<Version> {
    return this.http.json('PATCH', paths.version(model, version), { json: { description } })
  }

  /** Refused with VERSION_IN_PRODUCTION while in Production; the number is never reused. */
  delete(model: string, version: number): Promise<void> {
    return this.http.send('DELETE', paths.version(model, version))
  }

  setTag(model: string, version: number, key: string, value: string): Promise<Version> {
    return this.http.json('PUT', paths.versionTag(model, version, key), { json: { value } })
  }

  deleteTag(model: string, version: number, key: string): Promise<void> {
    return this.http.send('DELETE', paths.versionTag(model, version, key))
  }

  transitionStage(model: string, version: number, change: StageChange): Promise<Version> {
    return this.http.json('POST', paths.stage(model, version), { json: change })
  }

  /** An approver's verdict on a version; with auth on, never by the one who registered it. */
  setApproval(model: string, version: number, verdict: { status: 'approved' | 'rejected'; comment?: string }): Promise<Version> {
    return this.http.json('POST', `${paths.version(model, version)}/approval`, { json: verdict })
  }

  /** The version's stage history, oldest first: who, when, why. */
  async transitions(model: string, version: number): Promise<Transition[]> {
    const { items } = await this.http.json<{ items: Transition[] }>('GET', paths.transitions(model, version))
    return items
  }
}
