import type { Version } from '@canon/api'
import { paths } from './paths'
import type { Transport } from './transport'

export class AliasesApi {
  constructor(private readonly http: Transport) {}

  /**
   * Creates the alias or moves it to another version; returns the version it now points at. A protected alias moves only
   * through a request (`governance.request`), or with an admin's `override` and `reason`.
   */
  set(model: string, alias: string, version: number, options: { override?: boolean; reason?: string } = {}): Promise<Version> {
    return this.http.json('PUT', paths.alias(model, alias), { json: { version, ...options } })
  }

  /** The version the alias points at. */
  get(model: string, alias: string): Promise<Version> {
    return this.http.json('GET', paths.alias(model, alias))
  }

  delete(model: string, alias: string): Promise<void> {
    return this.http.send('DELETE', paths.alias(model, alias))
  }

  /** alias → version number */
  async list(model: string): Promise<Record<string, number>> {
    const { aliases } = await this.http.json<{ aliases: Record<string, number> }>('GET', paths.aliases(model))
    return aliases
  }
}
