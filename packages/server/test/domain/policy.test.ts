import { describe, expect, it } from 'vitest'
import { approvalsNeeded, defaultPolicy, evaluateGates, failing } from '../../src/domain/policy'

const policy = { ...defaultPolicy, requiredTags: ['validated_by'], requiredMetrics: [{ name: 'val_auc', higherIsBetter: true, tolerance: 0.005 }, { name: 'latency_ms', higherIsBetter: false, tolerance: 2 }] }
const production = { version: 1, tags: {}, metrics: { val_auc: 0.9, latency_ms: 40 } }
const gates = (metrics: Record<string, number>, tags: Record<string, string> = { validated_by: 'risk' }, prod: typeof production | null = production) =>
  evaluateGates({ policy, candidate: { version: 2, tags, metrics }, production: prod ?? undefined, requiredApprovals: 0 })

describe('promotion policy gates', () => {
  it('requires nothing by default, so every change passes', () => {
    expect(evaluateGates({ policy: defaultPolicy, candidate: { version: 1, tags: {}, metrics: {} }, production: undefined, requiredApprovals: 0 })).toEqual([{ gate: 'approvals', passed: true, detail: 'no approvals required' }])
  })

  it('passes a higher-is-better metric exactly at the tolerance and fails it just below', () => {
    expect(failing(gates({ val_auc: 0.895, latency_ms: 40 }))).toEqual([])
    expect(failing(gates({ val_auc: 0.8949, latency_ms: 40 }))).toEqual(['metric:val_auc'])
  })

  it('passes a lower-is-better metric up to the tolerance above Production and fails it beyond', () => {
    expect(failing(gates({ val_auc: 0.9, latency_ms: 42 }))).toEqual([])
    expect(failing(gates({ val_auc: 0.9, latency_ms: 42.5 }))).toEqual(['metric:latency_ms'])
  })

  it('fails a metric the candidate lacks, even without a Production version, and passes one it has', () => {
    expect(failing(gates({ val_auc: 0.5 }, { validated_by: 'risk' }, null))).toEqual(['metric:latency_ms'])
  })

  it('names a missing required tag', () => {
    expect(gates({ val_auc: 0.9, latency_ms: 40 }, {}).find((g) => !g.passed)).toMatchObject({ gate: 'tag:validated_by', detail: "version 2 has no tag 'validated_by'" })
  })

  it('asks at least one approval for a protected alias and none for an unprotected one or a non-Production stage', () => {
    const protect = { ...defaultPolicy, protectedAliases: ['champion'] }
    expect(approvalsNeeded(protect, { kind: 'alias', target: 'champion' })).toBe(1)
    expect(approvalsNeeded(protect, { kind: 'alias', target: 'challenger' })).toBe(0)
    expect(approvalsNeeded({ ...protect, requiredApprovals: 2 }, { kind: 'stage', target: 'Production' })).toBe(2)
    expect(approvalsNeeded({ ...protect, requiredApprovals: 2 }, { kind: 'stage', target: 'Staging' })).toBe(0)
  })
})
