import type { GcReport } from '@canon/api'
import type { BlobInfo } from '../blobs/blob-store'
import type { Actor, ServiceDeps } from './context'
import { sweepExpiredUploads } from './uploads.service'

/**
 * Mark and sweep: a blob no version references and untouched for `graceSeconds` is garbage.
 * Version creation touches every blob it claims, so the grace period covers uploads and creations in flight.
 */
export async function collectGarbage(deps: ServiceDeps, actor: Actor, options: { apply: boolean; graceSeconds: number }): Promise<GcReport> {
  const cutoff = deps.clock() - options.graceSeconds * 1000
  const report: GcReport = { applied: options.apply, graceSeconds: options.graceSeconds, scanned: 0, referenced: 0, tooYoung: 0, collected: [], collectedBytes: 0 }
  let batch: BlobInfo[] = []
  const sweep = async () => {
    const referenced = await referencedDigests(deps, batch.map((b) => b.digest))
    for (const blob of batch) {
      if (referenced.has(blob.digest)) report.referenced++
      else if (blob.modifiedAt >= cutoff) report.tooYoung++
      else if (!options.apply || (await deleteIfStillGarbage(deps, blob.digest, cutoff))) {
        report.collected.push({ digest: blob.digest, size: blob.size })
        report.collectedBytes += blob.size
      }
    }
    batch = []
  }
  for await (const blob of deps.blobs.list()) {
    report.scanned++
    batch.push(blob)
    if (batch.length >= 500) await sweep()
  }
  await sweep()
  if (options.apply) {
    await deps.blobs.sweepTemporary(options.graceSeconds * 1000)
    report.expiredUploads = await sweepExpiredUploads(deps)
    if (report.collected.length > 0) {
      const at = deps.clock()
      await deps.store.transaction((tx) =>
        tx.audit.append({ at, actor: actor.name, action: 'blob.gc', target: 'blobs', after: { collected: report.collected.length, bytes: report.collectedBytes, graceSeconds: options.graceSeconds } }),
      )
    }
  }
  return report
}

// Checks again right before deleting: a version created since the scan may have claimed the blob.
async function deleteIfStillGarbage(deps: ServiceDeps, digest: string, cutoff: number): Promise<boolean> {
  const fresh = await deps.blobs.stat(digest)
  if (!fresh || fresh.modifiedAt >= cutoff) return false
  if ((await referencedDigests(deps, [digest])).size > 0) return false
  return deps.blobs.delete(digest)
}

/** A blob is live while a version's manifest or a proxied artifact path points at it. */
async function referencedDigests(deps: ServiceDeps, digests: string[]): Promise<Set<string>> {
  const [byVersions, byArtifacts] = await Promise.all([deps.store.versions.referencedDigests(digests), deps.store.artifacts.referencedDigests(digests)])
  return new Set([...byVersions, ...byArtifacts])
}
