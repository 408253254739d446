import { Worker } from 'node:worker_threads'

/** How often the checkpointer copies committed WAL pages back into the database file. */
const CHECKPOINT_EVERY_MS = 200

// Plain JavaScript, so the worker needs no TypeScript loader; it only ever runs passive checkpoints.
const WORKER_SOURCE = `
const { DatabaseSync } = require('node:sqlite')
const { workerData } = require('node:worker_threads')
const db = new DatabaseSync(workerData.file)
db.exec('PRAGMA busy_timeout = 1000')
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
setInterval(() => {
  try { checkpoint.get() } catch { /* busy or closing: the next tick tries again */ }
}, workerData.everyMs)
`

/**
 * Runs WAL checkpoints on a thread of their own. A checkpoint writes hundreds of pages and syncs the file; done inside a
 * commit (SQLite's default) it stalls the event loop for milliseconds every few dozen commits. PASSIVE never blocks the
 * writer or readers, and a crash mid-checkpoint is safe: the WAL still holds every committed page.
 */
export function startCheckpointer(file: string): { stop(): Promise<void> } {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, everyMs: CHECKPOINT_EVERY_MS } })
  worker.unref() // never keeps the process alive
  worker.on('error', () => {}) // the writer's own autocheckpoint (set high, as a backstop) still bounds the WAL
  return {
    async stop() {
      await worker.terminate()
    },
  }
}
