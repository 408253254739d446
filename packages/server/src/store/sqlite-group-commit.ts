/** One unit of work on the write connection: a transaction, or a single write statement outside one. */
export interface Unit {
  /** settles when the transaction carrying this unit's work commits (or fails to) */
  readonly committed: Promise<void>
  /** the shared transaction this unit ran in */
  readonly batch: Batch
}

interface Batch {
  units: number
  committed: Promise<void>
  resolve: () => void
  reject: (error: unknown) => void
}

/** The statements group commit needs from the write connection. */
export interface WriteConnection {
  exec(sql: string): void
  readonly isTransaction: boolean
}

/** Units one commit may carry: bounds how long a finished unit waits behind later ones. */
const MAX_UNITS_PER_COMMIT = 64

/**
 * Group commit on one SQLite write connection. Units take turns on the connection; each runs inside a SAVEPOINT of a
 * shared transaction, and counts as done only once that transaction has committed. The commit waits until the event
 * loop has handled the I/O already ready (setImmediate), so writes that arrive together share one commit: its cost —
 * WAL frames written, now and then a checkpoint — is most of a small write's cost. Nothing is acknowledged before it is
 * committed; a unit that fails rolls back to its savepoint and leaves the others in the transaction untouched.
 */
export class GroupCommit {
  readonly #waiting: Array<() => void> = []
  #held = false
  #open: Batch | undefined
  #flushScheduled = false
  #commits = 0
  #committedUnits = 0

  constructor(private readonly connection: WriteConnection) {}

  /** transactions committed and the units they carried, since the connection opened */
  get stats(): { commits: number; units: number } {
    return { commits: this.#commits, units: this.#committedUnits }
  }

  /** Waits for the connection's turn and starts a unit in the open transaction (opening one if needed). */
  async begin(): Promise<Unit> {
    if (this.#held || this.#waiting.length > 0) await new Promise<void>((resolve) => this.#waiting.push(resolve))
    this.#held = true
    try {
      if (this.#open && !this.connection.isTransaction) {
        // SQLite ended the transaction on its own (a failed statement outside any unit's view): its units are lost
        this.#open.reject(new Error('The database rolled back the open transaction; the write was not saved.'))
        this.#open = undefined
      }
      const batch = this.#open ?? this.#openBatch()
      this.connection.exec('SAVEPOINT unit')
      batch.units++
      return { committed: batch.committed, batch }
    } catch (error) {
      this.#passTurn()
      throw error
    }
  }

  /** The unit's work is complete: keep it in the transaction and let the next unit run. */
  release(unit: Unit): void {
    try {
      if (unit.batch === this.#open) this.connection.exec('RELEASE unit')
    } finally {
      this.#passTurn()
    }
  }

  /** The unit failed: undo its work only, and let the next unit run. */
  rollback(unit: Unit): void {
    try {
      if (unit.batch === this.#open && this.connection.isTransaction) {
        this.connection.exec('ROLLBACK TO unit')
        this.connection.exec('RELEASE unit')
      }
    } finally {
      unit.batch.units--
      this.#passTurn()
    }
  }

  /**
   * A statement failed in a way that ended the whole transaction (SQLite rolls back on a full disk or an I/O error):
   * every unit already in it is lost, so each learns of it through `committed`.
   */
  abandon(unit: Unit, error: unknown): void {
    if (unit.batch !== this.#open || this.connection.isTransaction) return
    this.#open = undefined
    unit.batch.reject(error)
  }

  /** Commits what is open now, if no unit is running; used when the database closes. */
  flush(): void {
    if (!this.#held) this.#commit()
  }

  #openBatch(): Batch {
    // IMMEDIATE takes the write lock now, so a unit never fails later on upgrading a read lock
    this.connection.exec('BEGIN IMMEDIATE')
    let resolve!: () => void
    let reject!: (error: unknown) => void
    const committed = new Promise<void>((res, rej) => {
      resolve = res
      reject = rej
    })
    committed.catch(() => {}) // units that await it see the failure; a batch nobody awaits must not crash the process
    this.#open = { units: 0, committed, resolve, reject }
    return this.#open
  }

  #passTurn(): void {
    this.#held = false
    if (this.#open && this.#open.units >= MAX_UNITS_PER_COMMIT) this.#commit()
    const next = this.#waiting.shift()
    if (next) {
      this.#held = true // handed straight over, so a newcomer cannot slip in between
      next()
      return
    }
    if (this.#open && !this.#flushScheduled) {
      this.#flushScheduled = true
      setImmediate(() => {
        this.#flushScheduled = false
        // a unit still running (awaiting I/O) commits the batch when it hands the turn on
        if (!this.#held) this.#commit()
      })
    }
  }

  #commit(): void {
    const batch = this.#open
    if (!batch) return
    this.#open = undefined
    if (batch.units === 0) {
      // every unit rolled back: nothing to keep
      this.#end('ROLLBACK')
      batch.resolve()
      return
    }
    try {
      this.connection.exec('COMMIT')
      this.#commits++
      this.#committedUnits += batch.units
      batch.resolve()
    } catch (error) {
      this.#end('ROLLBACK')
      batch.reject(error)
    }
  }

  #end(statement: string): void {
    try {
      if (this.connection.isTransaction) this.connection.exec(statement)
    } catch {
      // the transaction is already gone; there is nothing left to end
    }
  }
}
