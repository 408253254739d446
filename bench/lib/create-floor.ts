import { DatabaseSync } from 'node:sqlite'
import { chainHash } from '../../packages/server/src/domain/audit-chain'

/** native: two files, two tags, params and metrics, as the bench's native creates; mlflow: an external source and nothing else, as its MLflow creates */
export type CreateShape = 'native' | 'mlflow'

export interface CreateFloorResult {
  shape: CreateShape
  creates: number
  /** creates per transaction: how many a group commit carries */
  batch: number
  createsPerSec: number
  microsPerCreate: number
  /** of microsPerCreate, the part spent in COMMIT */
  commitMicros: number
}

/**
 * The floor under any create: the statements one create writes (version row, files, tags, params, metrics, the model's
 * counter, the audit event and chain head, the webhook check) run straight on node:sqlite with prepared statements, no
 * HTTP, no Kysely, no JSON, `batch` creates per commit. It runs on a snapshot of the bench's database, so the tables and
 * indexes are Canon's own and as full as the server's. No server on this machine can create faster than this.
 */
export function measureCreateFloor(snapshotFile: string, creates: number, batch: number, shape: CreateShape = 'native'): CreateFloorResult {
  const db = new DatabaseSync(snapshotFile)
  try {
    db.exec('PRAGMA journal_mode = WAL')
    db.exec('PRAGMA synchronous = NORMAL')
    db.exec('PRAGMA foreign_keys = ON')
    db.exec('PRAGMA cache_size = -16384')
    db.exec('PRAGMA wal_autocheckpoint = 10000') // as the server: checkpoints happen off the write path
    const claim = db.prepare('update registered_models set next_version = next_version + 1, updated_at = ? where name = ? returning id, next_version')
    const insertVersion = db.prepare(
      'insert into model_versions (model_id, version, description, stage, source, run_id, file_count, total_size, created_at, updated_at, created_by, stage_updated_at, run_link) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id',
    )
    const insertFiles = db.prepare('insert into version_files (version_id, path, digest, size) values (?, ?, ?, ?), (?, ?, ?, ?)')
    const insertPairs = ['version_tags', 'version_params', 'version_metrics'].map((table) => db.prepare(`insert into ${table} (version_id, key, value) values (?, ?, ?), (?, ?, ?)`))
    const head = db.prepare("select seq, hash from audit_head where chain = 'main'")
    const insertEvent = db.prepare('insert into audit_events (seq, at, actor, action, target, before, after, reason, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    const moveHead = db.prepare("update audit_head set seq = ?, hash = ? where chain = 'main'")
    const webhooks = db.prepare("select * from webhooks where status = 'active'")
    const models = (db.prepare('select name from registered_models order by id').all() as { name: string }[]).map((r) => r.name)
    if (models.length === 0) throw new Error('the snapshot has no models to create versions in')

    const digest = (c: string) => `sha256:${c.repeat(64)}`
    let commitNs = 0n
    const started = process.hrtime.bigint()
    for (let done = 0; done < creates; done += batch) {
      db.exec('BEGIN IMMEDIATE')
      for (let j = 0; j < batch; j++) {
        db.exec('SAVEPOINT unit')
        const at = Date.now()
        const name = models[((done + j) * 7919) % models.length] as string
        const model = claim.get(at, name) as { id: number; next_version: number }
        const number = model.next_version - 1
        const source = `s3://training/${name}/floor-${number}`
        const native = shape === 'native'
        const { id } = insertVersion.get(model.id, number, `floor ${number}`, 'None', source, native ? `run-${number}` : null, native ? 2 : 0, native ? 8704 : 0, at, at, 'bench', at, null) as { id: number }
        if (native) {
          insertFiles.run(id, 'model.bin', digest('a'), 4096, id, 'config/params.json', digest('b'), 4608)
          insertPairs[0]?.run(id, 'team', 'risk', id, 'framework', 'xgboost')
          insertPairs[1]?.run(id, 'lr', '0.001', id, 'depth', '4')
          insertPairs[2]?.run(id, 'auc', 0.71, id, 'f1', 0.52)
        }
        const previous = head.get() as { seq: number; hash: string }
        const after = JSON.stringify({ version: number, files: 2, source, runId: `run-${number}` })
        const event = { seq: Number(previous.seq) + 1, at, actor: 'bench', action: 'version.create', target: `version:${name}/${number}`, before: null, after, reason: null, prev_hash: previous.hash }
        const hash = chainHash(event)
        insertEvent.run(event.seq, at, event.actor, event.action, event.target, null, after, null, previous.hash, hash)
        moveHead.run(event.seq, hash)
        webhooks.all()
        db.exec('RELEASE unit')
      }
      const commitStarted = process.hrtime.bigint()
      db.exec('COMMIT')
      commitNs += process.hrtime.bigint() - commitStarted
    }
    const micros = Number(process.hrtime.bigint() - started) / 1e3 / creates
    return { shape, creates, batch, createsPerSec: 1e6 / micros, microsPerCreate: micros, commitMicros: Number(commitNs) / 1e3 / creates }
  } finally {
    db.close()
  }
}

/** A consistent copy of a live WAL database, taken through a read-only connection while the server keeps it open. */
export function snapshotDatabase(liveFile: string, snapshotFile: string): void {
  const db = new DatabaseSync(liveFile, { readOnly: true })
  try {
    db.prepare('VACUUM INTO ?').run(snapshotFile)
  } finally {
    db.close()
  }
}
