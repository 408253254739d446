import { DatabaseSync } from 'node:sqlite'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GroupCommit } from '../../src/store/sqlite-group-commit'
import { openMetadataStore, type MetadataStore } from '../../src/store/metadata-store'
import { tempDir } from '../support/backends'

// Group commit on a real SQLite file: what each unit sees, when it counts as done, and what a failure takes with it.

let dir: { path: string; remove(): Promise<void> }
let file: string

beforeEach(async () => {
  dir = await tempDir('canon-group-commit-')
  file = join(dir.path, 'g.db')
})
afterEach(async () => dir.remove())

function openWriter(): DatabaseSync {
  const db = new DatabaseSync(file)
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA foreign_keys = ON')
  db.exec('CREATE TABLE parent (id integer primary key)')
  db.exec('CREATE TABLE item (id integer primary key, label text not null unique, parent integer references parent (id) deferrable initially deferred)')
  return db
}

/** What another connection, such as another process, sees as committed. */
function committedLabels(): string[] {
  const other = new DatabaseSync(file, { readOnly: true })
  try {
    return (other.prepare('SELECT label FROM item ORDER BY id').all() as { label: string }[]).map((r) => r.label)
  } finally {
    other.close()
  }
}

async function insertUnit(commits: GroupCommit, db: DatabaseSync, label: string, parent: number | null = null): Promise<void> {
  const unit = await commits.begin()
  try {
    db.prepare('INSERT INTO item (label, parent) VALUES (?, ?)').run(label, parent)
  } catch (error) {
    commits.rollback(unit)
    throw error
  }
  commits.release(unit)
  await unit.committed
}

describe('group commit on SQLite', () => {
  it('commits units that arrive together in one transaction, and each is visible to other connections once it resolves', async () => {
    const db = openWriter()
    const commits = new GroupCommit(db)
    const labels = Array.from({ length: 40 }, (_, i) => `item-${i}`)
    await Promise.all(labels.map((label) => insertUnit(commits, db, label)))
    expect(committedLabels()).toEqual(labels)
    expect(commits.stats.units).toBe(40)
    expect(commits.stats.commits).toBeLessThan(40)
    db.close()
  })

  it('does not resolve a unit before its transaction has committed', async () => {
    const db = openWriter()
    const commits = new GroupCommit(db)
    const unit = await commits.begin()
    db.prepare('INSERT INTO item (label) VALUES (?)').run('pending')
    commits.release(unit)
    let resolved = false
    const done = unit.committed.then(() => (resolved = true))
    expect(resolved).toBe(false)
    expect(committedLabels()).toEqual([])
    await done
    expect(committedLabels()).toEqual(['pending'])
    db.close()
  })

  it('rolls back a failed unit alone; the units around it in the same transaction commit', async () => {
    const db = openWriter()
    const commits = new GroupCommit(db)
    const results = await Promise.allSettled([insertUnit(commits, db, 'a'), insertUnit(commits, db, 'a'), insertUnit(commits, db, 'b')])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(committedLabels()).toEqual(['a', 'b'])
    expect(commits.stats).toEqual({ commits: 1, units: 2 })
    db.close()
  })

  it('fails every unit of a transaction whose commit fails, keeps none of them, and commits later units normally', async () => {
    const db = openWriter()
    const commits = new GroupCommit(db)
    // a deferred foreign key is checked at COMMIT: the whole transaction is refused there
    const results = await Promise.allSettled([insertUnit(commits, db, 'ok-1'), insertUnit(commits, db, 'orphan', 42), insertUnit(commits, db, 'ok-2')])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected'])
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/)
    expect(committedLabels()).toEqual([])
    expect(db.isTransaction).toBe(false)
    await insertUnit(commits, db, 'after')
    expect(committedLabels()).toEqual(['after'])
    db.close()
  })

  it('lets a unit wait on other I/O while holding the connection; later units wait their turn', async () => {
    const db = openWriter()
    const commits = new GroupCommit(db)
    const order: string[] = []
    const slow = (async () => {
      const unit = await commits.begin()
      order.push('slow:start')
      await new Promise((resolve) => setTimeout(resolve, 30))
      db.prepare('INSERT INTO item (label) VALUES (?)').run('slow')
      order.push('slow:end')
      commits.release(unit)
      await unit.committed
    })()
    const fast = insertUnit(commits, db, 'fast').then(() => order.push('fast:committed'))
    await Promise.all([slow, fast])
    expect(order).toEqual(['slow:start', 'slow:end', 'fast:committed'])
    expect(committedLabels()).toEqual(['slow', 'fast'])
    db.close()
  })
})

describe('the SQLite metadata store with group commit', () => {
  let store: MetadataStore
  beforeEach(async () => {
    store = openMetadataStore({ kind: 'sqlite', file })
    await store.migrate()
  })
  afterEach(async () => store.close())

  it('never shows a transaction’s uncommitted writes to reads outside it', async () => {
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const writing = store.transaction(async (tx) => {
      await tx.models.insert({ name: 'uncommitted', description: '', at: 1, actor: 'test' })
      expect(await tx.models.byName('uncommitted')).toBeDefined()
      await held
    })
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(await store.models.byName('uncommitted')).toBeUndefined()
    release()
    await writing
    expect(await store.models.byName('uncommitted')).toBeDefined()
  })

  it('undoes a failed transaction without touching one committed with it', async () => {
    const results = await Promise.allSettled([
      store.transaction(async (tx) => void (await tx.models.insert({ name: 'kept', description: '', at: 1, actor: 'test' }))),
      store.transaction(async (tx) => {
        await tx.models.insert({ name: 'undone', description: '', at: 1, actor: 'test' })
        throw new Error('refused after writing')
      }),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected'])
    expect(await store.models.byName('kept')).toBeDefined()
    expect(await store.models.byName('undone')).toBeUndefined()
  })

  it('acknowledges a write outside a transaction only once another connection can read it', async () => {
    await store.models.insert({ name: 'single', description: '', at: 1, actor: 'test' })
    const other = new DatabaseSync(file, { readOnly: true })
    expect(other.prepare('SELECT name FROM registered_models').all()).toEqual([{ name: 'single' }])
    other.close()
  })
})
