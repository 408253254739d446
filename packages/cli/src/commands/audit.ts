import type { Command } from 'commander'
import type { AuditEvent } from '@canon/sdk'
import { contextOf } from '../context'
import { nonNegativeInteger, positiveInteger } from '../parse'
import { auditTable } from '../views'

interface AuditFlags {
  target?: string
  targetPrefix?: string
  after?: number
  limit?: number
}

export function registerAuditCommands(program: Command): void {
  const audit = program
    .command('audit')
    .description('read the audit trail (every change: who, what, when, why); `audit verify` checks its hash chain')
    .option('--target <target>', 'only this target, e.g. model:churn or version:churn/3')
    .option('--target-prefix <prefix>', 'only targets starting with this, e.g. version:churn/')
    .option('--after <seq>', 'only events after this sequence number', nonNegativeInteger)
    .option('--limit <n>', 'show at most n events', positiveInteger)
    .action(async (flags: AuditFlags, command: Command) => {
      const ctx = contextOf(command)
      const events: AuditEvent[] = []
      for await (const event of ctx.canon.audit.iterate({ target: flags.target, targetPrefix: flags.targetPrefix, after: flags.after, limit: Math.min(flags.limit ?? 1000, 1000) })) {
        events.push(event)
        if (flags.limit !== undefined && events.length >= flags.limit) break
      }
      if (ctx.json) ctx.printJson(events)
      else ctx.out(events.length === 0 ? 'No audit events.\n' : auditTable(events))
    })

  audit
    .command('verify')
    .description('recompute the hash chain over every audit event; exits 1 if it is broken')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const check = await ctx.canon.audit.verify()
      if (ctx.json) ctx.printJson(check)
      else if (check.ok) ctx.out(`Audit chain intact: ${check.events} events.\n`)
      else ctx.out(`Audit chain BROKEN at event ${check.brokenAt}: ${check.why}\n`)
      if (!check.ok) process.exitCode = 1
    })
}
