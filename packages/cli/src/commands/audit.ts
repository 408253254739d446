import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Command } from 'commander'
import type { AuditEvent } from '@canon/sdk'
import { contextOf } from '../context'
import { nonNegativeInteger, positiveInteger } from '../parse'
import { auditTable } from '../views'

interface AuditFlags {
  target?: string
  targetPrefix?: string
  model?: string
  actor?: string
  action?: string
  since?: string
  until?: string
  after?: number
  limit?: number
}

const filterOf = (flags: AuditFlags) => ({
  target: flags.target,
  targetPrefix: flags.targetPrefix,
  model: flags.model,
  actor: flags.actor,
  action: flags.action,
  since: flags.since,
  until: flags.until,
  after: flags.after,
})

const withFilters = (command: Command) =>
  command
    .option('--model <model>', "a model's events, with its versions' and aliases'")
    .option('--actor <user>', 'only what this user did')
    .option('--action <action>', 'only this action, e.g. version.stage or alias.set')
    .option('--since <time>', 'from this ISO 8601 time (inclusive)')
    .option('--until <time>', 'up to this ISO 8601 time (exclusive)')
    .option('--target <target>', 'only this target, e.g. model:churn or version:churn/3')
    .option('--target-prefix <prefix>', 'only targets starting with this, e.g. version:churn/')
    .option('--after <seq>', 'only events after this sequence number', nonNegativeInteger)

export function registerAuditCommands(program: Command): void {
  const audit = withFilters(
    program.command('audit').description('read the audit trail (every change: who, what, when, why); `audit verify` checks its hash chain, `audit export` writes JSON Lines'),
  )
    .option('--limit <n>', 'show at most n events', positiveInteger)
    .action(async (flags: AuditFlags, command: Command) => {
      const ctx = contextOf(command)
      const events: AuditEvent[] = []
      for await (const event of ctx.canon.audit.iterate({ ...filterOf(flags), limit: Math.min(flags.limit ?? 1000, 1000) })) {
        events.push(event)
        if (flags.limit !== undefined && events.length >= flags.limit) break
      }
      if (ctx.json) ctx.printJson(events)
      else ctx.out(events.length === 0 ? 'No audit events.\n' : auditTable(events))
    })

  withFilters(audit.command('export').description('write matching events as JSON Lines (one event per line) to --output or stdout, for evidence packs'))
    .option('--output <file>', 'write to this file instead of stdout')
    .action(async (own: AuditFlags & { output?: string }, command: Command) => {
      // `audit` itself takes the same filters, and commander hands them to it when they follow `export`.
      const flags = { ...(command.parent?.opts() as AuditFlags), ...own }
      const ctx = contextOf(command)
      const out = flags.output ? createWriteStream(flags.output, { flags: 'wx' }) : process.stdout
      let count = 0
      for await (const event of ctx.canon.audit.iterate({ ...filterOf(flags), limit: 1000 })) {
        if (!out.write(`${JSON.stringify(event)}\n`)) await once(out, 'drain')
        count++
      }
      if (flags.output) {
        await new Promise<void>((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end((error?: Error | null) => (error ? reject(error) : resolve())))
        process.stderr.write(`Wrote ${count} events to ${flags.output}.\n`)
      }
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
