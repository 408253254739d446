import { CanonClient, sha256Bytes } from '@canon/sdk'

/** Blobs by content; the manifest entries of a version name them. */
async function file(canon: CanonClient, path: string, text: string) {
  const bytes = new TextEncoder().encode(text)
  const digest = sha256Bytes(bytes)
  await canon.blobs.upload(digest, bytes)
  return { path, size: bytes.length, digest }
}

export const CARD = {
  intendedUse: 'Rank customers by **churn risk** for the retention team.',
  evaluationResults: 'AUC 0.93 on the Q4 holdout.',
  owners: [{ name: 'Risk Team', contact: 'risk@example.com' }],
  body: '## Notes\n\n- retrained monthly\n- watch the *drift* dashboard\n\n<script>window.hacked = true</script>\n\n<img src=x onerror="window.hacked = true">',
}

/**
 * What every browser test starts from: 'churn' with three versions (v1 Production @champion, v2 Staging, v3 new), a
 * card and a pending request; 'fraud' with one version; `bulk` more models so the models list has several pages.
 */
export async function seedRegistry(canon: CanonClient, bulk = 0): Promise<void> {
  await canon.models.create({ name: 'churn', description: '# Churn predictor\n\nPredicts **customer churn** from usage.', tags: { team: 'risk' } })
  const config = await file(canon, 'config.json', '{"threshold": 0.5}')
  const versions: { weights: string; metrics: Record<string, number>; params: Record<string, string> }[] = [
    { weights: 'weights v1', metrics: { val_auc: 0.89, loss: 0.31 }, params: { max_depth: '6', lr: '0.1' } },
    { weights: 'weights v2', metrics: { val_auc: 0.91, loss: 0.27 }, params: { max_depth: '8', lr: '0.1' } },
    { weights: 'weights v3 with more bytes', metrics: { val_auc: 0.93, loss: 0.22, f1: 0.81 }, params: { max_depth: '8', lr: '0.05' } },
  ]
  for (const [i, v] of versions.entries()) {
    const files = [await file(canon, 'model.bin', v.weights), config, await file(canon, 'data/train.csv', `a,b\n${i},${i + 1}\n`)]
    // v3 records where it came from: a dataset, code, an environment, and v1 as its parent
    const lineage =
      i === 2
        ? {
            datasets: [{ uri: 'dataset://customers/2026-10', digest: `sha256:${'d'.repeat(64)}` }],
            code: { repository: 'git@example.com:risk/churn.git', commit: 'abc1234def' },
            environment: { image: 'python:3.12-slim', runtime: { python: '3.12.1' } },
            parent: { model: 'churn', version: 1 },
          }
        : undefined
    await canon.versions.create('churn', { files, metrics: v.metrics, params: v.params, description: `Version ${i + 1} of churn`, runId: `run-${i + 1}-abcdef0123`, tags: { stage_note: `n${i + 1}` }, ...(lineage && { lineage }) })
  }
  await canon.versions.transitionStage('churn', 1, { stage: 'Production', reason: 'first release' })
  await canon.versions.transitionStage('churn', 2, { stage: 'Staging', reason: 'candidate' })
  await canon.aliases.set('churn', 'champion', 1)
  await canon.cards.set('churn', CARD)
  await canon.governance.request('churn', 2, { kind: 'stage', target: 'Production', comment: 'v2 beats v1 on AUC' })
  await canon.deployments.put('churn-prod', { model: 'churn', environment: 'prod', split: { 1: 90, 3: 10 }, description: 'scoring API', reason: 'canary v3' })

  await canon.models.create({ name: 'fraud', description: 'Flags fraudulent payments', tags: { team: 'payments' } })
  await canon.versions.create('fraud', { files: [await file(canon, 'model.bin', 'fraud weights')], metrics: { precision: 0.97 } })
  for (let i = 0; i < bulk; i++) await canon.models.create({ name: `model-${String(i).padStart(3, '0')}`, tags: { kind: 'bulk' } })
}
