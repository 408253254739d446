import type { CreateModelInput, Model, Page, UpdateModelInput } from '@canon/api'
import { iteratePages } from './pagination'
import { paths } from './paths'
import type { Transport } from './transport'
import type { ModelQuery } from './types'

export class ModelsApi {
  constructor(private readonly http: Transport) {}

  create(input: CreateModelInput): Promise<Model> {
    return this.http.json('POST', paths.models(), { json: input })
  }

  get(name: string): Promise<Model> {
    return this.http.json('GET', paths.model(name))
  }

  /** One page; follow `nextCursor` (or use `iterate`) for the rest. */
  list(query: ModelQuery = {}): Promise<Page<Model>> {
    return this.http.json('GET', paths.models(), { query: { ...query, tag: query.tag === undefined ? undefined : [query.tag].flat() } })
  }

  /** Every model matching the query, across all pages. */
  iterate(query: Omit<ModelQuery, 'cursor'> = {}): AsyncGenerator<Model> {
    return iteratePages((cursor) => this.list({ ...query, cursor }))
  }

  update(name: string, patch: UpdateModelInput): Promise<Model> {
    return this.http.json('PATCH', paths.model(name), { json: patch })
  }

  /** Versions, aliases and tags follow the model to its new name. */
  rename(name: string, newName: string): Promise<Model> {
    return this.update(name, { name: newName })
  }

  /** Refused with MODEL_HAS_PRODUCTION_VERSION while a version is in Production. */
  delete(name: string): Promise<void> {
    return this.http.send('DELETE', paths.model(name))
  }

  setTag(name: string, key: string, value: string): Promise<Model> {
    return this.http.json('PUT', paths.modelTag(name, key), { json: { value } })
  }

  deleteTag(name: string, key: string): Promise<void> {
    return this.http.send('DELETE', paths.modelTag(name, key))
  }
}
