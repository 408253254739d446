import { InvalidArgumentError, type Command } from 'commander'
import type { Gate, PolicyDocument, PromotionCheck, TransitionRequest } from '@canon/sdk'
import { contextOf } from '../context'
import { fields, table, time, truncate } from '../format'
import { nonNegativeInteger, oneOf, positiveInteger, repeatable, stage, versionNumber } from '../parse'

// Promotion policies, transition requests and their reviews, the promotion dry run, and rollback.

type MetricRule = { name: string; higherIsBetter: boolean; tolerance: number }

/** 'val_auc:higher:0.005' → a required metric that must not drop more than 0.005 below Production's */
function metricRule(value: string, previous: MetricRule[] = []): MetricRule[] {
  const [name = '', direction = 'higher', tolerance = '0'] = value.split(':')
  const n = Number(tolerance)
  if (!name || !['higher', 'lower'].includes(direction) || tolerance.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(`'${value}' is not name:higher|lower:tolerance (e.g. val_auc:higher:0.005).`)
  }
  return [...previous, { name, higherIsBetter: direction === 'higher', tolerance: n }]
}

/** '<stage>' or '@<alias>' */
function target(value: string): { kind: 'stage' | 'alias'; target: string } {
  return value.startsWith('@') ? { kind: 'alias', target: value.slice(1) } : { kind: 'stage', target: stage(value) }
}

const requestId = positiveInteger

function requestTable(requests: TransitionRequest[]): string {
  return table(
    ['ID', 'MODEL', 'VERSION', 'TARGET', 'STATUS', 'APPROVALS', 'REQUESTED BY', 'AT', 'COMMENT'],
    requests.map((r) => [
      String(r.id),
      r.model,
      String(r.version),
      r.kind === 'alias' ? `@${r.target}` : r.target,
      r.status,
      `${r.reviews.filter((v) => v.decision === 'approve').length}/${r.requiredApprovals}`,
      r.requestedBy,
      time(r.createdAt),
      truncate(r.comment ?? '', 40),
    ]),
  )
}

function requestDetails(r: TransitionRequest): string {
  const head = fields([
    ['request', r.id],
    ['model', r.model],
    ['version', r.version],
    ['target', r.kind === 'alias' ? `@${r.target}` : r.target],
    ['status', r.status],
    ['approvals', `${r.reviews.filter((v) => v.decision === 'approve').length} of ${r.requiredApprovals}`],
    ['requested by', `${r.requestedBy} at ${time(r.createdAt)}`],
    ['comment', r.comment],
    ['decided by', r.decidedBy && r.decidedAt ? `${r.decidedBy} at ${time(r.decidedAt)}` : null],
  ])
  const reviews = r.reviews.length === 0 ? '' : table(['REVIEWER', 'DECISION', 'AT', 'COMMENT'], r.reviews.map((v) => [v.reviewer, v.decision, time(v.at), truncate(v.comment ?? '', 60)]))
  return head + reviews
}

const gateTable = (gates: Gate[]) => table(['GATE', 'RESULT', 'DETAIL'], gates.map((g) => [g.gate, g.passed ? 'pass' : 'FAIL', g.detail]))

function checkSummary(check: PromotionCheck): string {
  const verdict = check.direct
    ? 'Every gate passes: the change may be made directly.'
    : check.requestable
      ? 'Every gate but approvals passes: request it with `canon request`.'
      : 'Some gates fail: fix them before requesting.'
  return `${gateTable(check.gates)}${verdict}\n`
}

function policyDetails(doc: PolicyDocument): string {
  const p = doc.policy
  return fields([
    ['scope', doc.scope],
    ['from', doc.source === 'scope' ? `this scope (set by ${doc.updatedBy} at ${doc.updatedAt ? time(doc.updatedAt) : '?'})` : doc.source === 'global' ? "the global '*' policy" : 'the built-in default (nothing required)'],
    ['required approvals', p.requiredApprovals],
    ['required tags', p.requiredTags.join(', ') || '-'],
    ['required metrics', p.requiredMetrics.map((m) => `${m.name} (${m.higherIsBetter ? 'higher' : 'lower'} is better, tolerance ${m.tolerance})`).join(', ') || '-'],
    ['protected aliases', p.protectedAliases.join(', ') || '-'],
  ])
}

export function registerGovernanceCommands(program: Command): void {
  const requests = program
    .command('requests')
    .description('your inbox: pending transition requests you may review (`requests cancel <id>` withdraws one)')
    .option('--status <status>', 'pending (default), applied, rejected or cancelled', oneOf(['pending', 'applied', 'rejected', 'cancelled'] as const))
    .option('--model <model>', "only this model's requests")
    .option('--mine', 'your own requests instead of those you may review')
    .action(async (flags: { status?: TransitionRequest['status']; model?: string; mine?: boolean }, command: Command) => {
      const ctx = contextOf(command)
      const items = await ctx.canon.governance.requests({ status: flags.status, model: flags.model, mine: flags.mine })
      if (ctx.json) ctx.printJson(items)
      else ctx.out(items.length === 0 ? 'No requests.\n' : requestTable(items))
    })

  requests
    .command('show')
    .description('a request with its reviews')
    .argument('<id>', 'request id', requestId)
    .action(async (id: number, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const found = await ctx.canon.governance.getRequest(id)
      if (ctx.json) ctx.printJson(found)
      else ctx.out(requestDetails(found))
    })

  requests
    .command('cancel')
    .description('withdraw a pending request (its requester or an admin)')
    .argument('<id>', 'request id', requestId)
    .option('-r, --reason <text>', 'why (kept in the audit trail)')
    .action(async (id: number, options: { reason?: string }, command: Command) => {
      const ctx = contextOf(command)
      const cancelled = await ctx.canon.governance.cancel(id, options.reason)
      if (ctx.json) ctx.printJson(cancelled)
      else ctx.out(`Request ${id} is cancelled.\n`)
    })

  program
    .command('request')
    .description('ask approvers to move a version to a stage (e.g. Production) or a protected alias (@champion)')
    .argument('<model>', 'model name')
    .argument('<version>', 'version number', versionNumber)
    .argument('<target>', 'a stage, or @alias', target)
    .option('-c, --comment <text>', 'what reviewers should know (kept with the request and in the audit trail)')
    .action(async (model: string, version: number, to: ReturnType<typeof target>, options: { comment?: string }, command: Command) => {
      const ctx = contextOf(command)
      const made = await ctx.canon.governance.request(model, version, { ...to, comment: options.comment })
      if (ctx.json) ctx.printJson(made)
      else ctx.out(`Request ${made.id}: '${model}' version ${version} to ${to.kind === 'alias' ? `@${to.target}` : to.target}; it needs ${made.requiredApprovals} approval(s).\n`)
    })

  program
    .command('review')
    .description('approve or reject a transition request (never your own); the deciding approval applies the change')
    .argument('<id>', 'request id', requestId)
    .argument('<decision>', 'approve | reject', oneOf(['approve', 'reject'] as const))
    .option('-c, --comment <text>', 'your reasoning (kept with the review and in the audit trail)')
    .action(async (id: number, decision: 'approve' | 'reject', options: { comment?: string }, command: Command) => {
      const ctx = contextOf(command)
      const reviewed = await ctx.canon.governance.review(id, { decision, comment: options.comment })
      if (ctx.json) ctx.printJson(reviewed)
      else if (reviewed.status === 'applied') ctx.out(`Request ${id} is approved and applied: '${reviewed.model}' version ${reviewed.version} is now ${reviewed.kind === 'alias' ? `@${reviewed.target}` : `in ${reviewed.target}`}.\n`)
      else ctx.out(`Request ${id} is ${reviewed.status}.\n`)
    })

  program
    .command('promote')
    .description('promote a version to Production directly (when the policy allows), or with --check show every policy gate first')
    .argument('<model>', 'model name')
    .argument('<version>', 'version number', versionNumber)
    .option('--check', 'dry run: show each gate of the policy and whether it passes; change nothing')
    .option('--alias <alias>', 'with --check: ask about moving this alias instead of Production')
    .option('-r, --reason <text>', 'why (kept in the stage history and the audit trail)')
    .option('--override', "admins: promote although the policy is not satisfied (needs --reason; audited)")
    .action(async (model: string, version: number, options: { check?: boolean; alias?: string; reason?: string; override?: boolean }, command: Command) => {
      const ctx = contextOf(command)
      if (options.check) {
        const check = await ctx.canon.governance.promotionCheck(model, version, options.alias ? { alias: options.alias } : { stage: 'Production' })
        if (ctx.json) ctx.printJson(check)
        else ctx.out(checkSummary(check))
        return
      }
      const moved = await ctx.canon.versions.transitionStage(model, version, { stage: 'Production', reason: options.reason, override: options.override })
      if (ctx.json) ctx.printJson(moved)
      else ctx.out(`'${model}' version ${moved.version} is now in ${moved.stage}.\n`)
    })

  const policy = program.command('policy').description("promotion policies: per model, or '*' for the global default")

  policy
    .command('get')
    .description('the policy in force for a model, or the global one')
    .argument('<scope>', "a model name, or '*'")
    .action(async (scope: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const doc = await ctx.canon.governance.policy(scope)
      if (ctx.json) ctx.printJson(doc)
      else ctx.out(policyDetails(doc))
    })

  policy
    .command('set')
    .description('replace the policy of a model or of everything (admins); what is not given is not required')
    .argument('<scope>', "a model name, or '*'")
    .option('--approvals <n>', 'distinct approvers a promotion needs, never the requester', nonNegativeInteger)
    .option('--require-tag <key>', 'a tag the candidate must carry, e.g. validated_by (repeatable)', repeatable)
    .option('--require-metric <rule>', 'name:higher|lower:tolerance, compared with the Production version (repeatable)', metricRule)
    .option('--protect-alias <alias>', 'an alias that moves only through a request, e.g. champion (repeatable)', repeatable)
    .option('--require-card-field <field>', 'a model card field that must be filled, e.g. intendedUse or owners (repeatable)', repeatable)
    .action(async (scope: string, options: { approvals?: number; requireTag?: string[]; requireMetric?: MetricRule[]; protectAlias?: string[]; requireCardField?: string[] }, command: Command) => {
      const ctx = contextOf(command)
      const doc = await ctx.canon.governance.setPolicy(scope, {
        requiredApprovals: options.approvals,
        requiredTags: options.requireTag,
        requiredMetrics: options.requireMetric,
        protectedAliases: options.protectAlias,
        requiredCardFields: options.requireCardField as never,
      })
      if (ctx.json) ctx.printJson(doc)
      else ctx.out(policyDetails(doc))
    })

  program
    .command('rollback')
    .description('put the previous Production version back and archive the current one')
    .argument('<model>', 'model name')
    .requiredOption('-r, --reason <text>', 'why (kept in the audit trail)')
    .option('--override', "admins: roll back although the policy is not satisfied (audited)")
    .action(async (model: string, options: { reason: string; override?: boolean }, command: Command) => {
      const ctx = contextOf(command)
      const restored = await ctx.canon.governance.rollback(model, options.reason, { override: options.override })
      if (ctx.json) ctx.printJson(restored)
      else ctx.out(`'${model}' version ${restored.version} is back in Production.\n`)
    })
}
