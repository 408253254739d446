import type { LineageInput } from '@canon/api'
import { CanonError } from './errors'

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/

/** Dataset references must be URIs; the same (uri, digest, role) twice is one reference. */
export function checkLineage(lineage: LineageInput): LineageInput {
  const seen = new Set<string>()
  const datasets = []
  for (const dataset of lineage.datasets ?? []) {
    if (!URI.test(dataset.uri)) {
      throw new CanonError('INVALID_URI', `Dataset '${dataset.uri.slice(0, 200)}' is not a URI; use dataset://<name>/<version> or a URI such as s3://bucket/path.`, { uri: dataset.uri.slice(0, 200) })
    }
    if (dataset.uri.includes('\0') || dataset.digest.includes('\0')) throw new CanonError('INVALID_INPUT', 'Dataset URIs and digests may not contain NUL.')
    const key = `${dataset.uri}\n${dataset.digest}\n${dataset.role ?? 'training'}`
    if (seen.has(key)) continue
    seen.add(key)
    datasets.push(dataset)
  }
  return { ...lineage, datasets }
}
