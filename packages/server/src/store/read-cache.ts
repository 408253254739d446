/**
 * Serialized answers to hot reads, kept until the database changes. The change token comes from the database itself
 * (see openMetadataStore), so writes by this process or by any other process or instance invalidate it: nothing is
 * ever served stale. Bounded by the bytes it holds.
 */
export class ReadCache {
  readonly #entries = new Map<string, string>()
  #bytes = 0
  #token: string | undefined

  constructor(
    /** the database's change token; a different value means something may have changed */
    private readonly changeToken: (() => string | Promise<string>) | undefined,
    private readonly maxBytes: number,
  ) {}

  get enabled(): boolean {
    return this.changeToken !== undefined && this.maxBytes > 0
  }

  /** The cached answer, if the database has not changed since it was stored; also returns the token to store under. */
  async lookup(key: string): Promise<{ hit: string | undefined; token: string } | undefined> {
    if (!this.changeToken || this.maxBytes <= 0) return undefined
    const token = await this.changeToken()
    if (token !== this.#token) {
      this.#entries.clear()
      this.#bytes = 0
      this.#token = token
    }
    return { hit: this.#entries.get(key), token }
  }

  /** Keeps an answer computed since `lookup` returned `token`, unless the database changed in between. */
  async store(key: string, value: string, token: string): Promise<void> {
    if (!this.changeToken || value.length > this.maxBytes / 16) return
    // a write while the answer was computed may have made it a mix of old and new: don't keep it
    if (token !== this.#token || (await this.changeToken()) !== token) return
    if (token !== this.#token) return
    // insertion order is age order: drop the oldest entries when full
    while (this.#bytes + value.length > this.maxBytes && this.#entries.size > 0) {
      const [oldest, dropped] = this.#entries.entries().next().value as [string, string]
      this.#entries.delete(oldest)
      this.#bytes -= dropped.length
    }
    this.#entries.set(key, value)
    this.#bytes += value.length
  }
}
