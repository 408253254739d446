import { Option, type Command } from 'commander'
import type { Deployment } from '@canon/api'
import { contextOf } from '../context'
import { table, time } from '../format'
import { positiveInteger, split } from '../parse'

interface DeployFlags {
  model: string
  env: string
  split: Record<string, number>
  status?: 'active' | 'paused' | 'retired'
  description?: string
  reason?: string
}

export function registerDeploymentCommands(program: Command): void {
  program
    .command('deploy')
    .description('create a deployment or change its traffic split, e.g. canon deploy churn-api --model churn --env prod --split 5=90,6=10')
    .argument('<name>', 'deployment name, e.g. churn-api')
    .requiredOption('--model <model>', 'the model it serves')
    .requiredOption('--env <environment>', 'environment, e.g. prod')
    .requiredOption('--split <version=percent,…>', 'traffic per version, summing to 100', split)
    .addOption(new Option('--status <status>', 'deployment status').choices(['active', 'paused', 'retired']))
    .option('-d, --description <text>', 'what the deployment is')
    .option('-r, --reason <text>', 'why the split changes (kept in its history and the audit trail)')
    .action(async (name: string, flags: DeployFlags, command: Command) => {
      const ctx = contextOf(command)
      const deployment = await ctx.canon.deployments.put(name, { model: flags.model, environment: flags.env, split: flags.split, status: flags.status, description: flags.description, reason: flags.reason })
      if (ctx.json) return ctx.printJson(deployment)
      ctx.out(`Deployment '${name}' revision ${deployment.revision}: ${describeSplit(deployment)}.\n`)
    })

  const deployments = program.command('deployments').description('list and inspect deployments')
  deployments
    .command('list', { isDefault: true })
    .description('deployments, optionally of one model or environment')
    .option('--model <model>', 'only this model')
    .option('--env <environment>', 'only this environment')
    .option('--limit <n>', 'at most n', positiveInteger)
    .action(async (flags: { model?: string; env?: string; limit?: number }, command: Command) => {
      const ctx = contextOf(command)
      const page = await ctx.canon.deployments.list({ model: flags.model, environment: flags.env, limit: flags.limit })
      if (ctx.json) return ctx.printJson(page.items)
      if (page.items.length === 0) return ctx.out('No deployments.\n')
      ctx.out(table(['NAME', 'ENV', 'MODEL', 'SPLIT', 'STATUS', 'REV', 'UPDATED'], page.items.map((d) => [d.name, d.environment, d.model, describeSplit(d), d.status, String(d.revision), time(d.updatedAt)])))
    })

  deployments
    .command('show')
    .argument('<name>', 'deployment name')
    .description('a deployment and its current split')
    .action(async (name: string, _flags: unknown, command: Command) => {
      const ctx = contextOf(command)
      const d = await ctx.canon.deployments.get(name)
      if (ctx.json) return ctx.printJson(d)
      ctx.out(`${d.name} (${d.environment}) serves '${d.model}', ${d.status}, revision ${d.revision}, changed by ${d.updatedBy} at ${time(d.updatedAt)}\n`)
      ctx.out(table(['VERSION', 'WEIGHT', 'STAGE', ''], d.split.map((t) => [String(t.version), `${t.weight}%`, t.stage, t.archived ? 'archived but still serving' : ''])))
    })

  deployments
    .command('history')
    .argument('<name>', 'deployment name')
    .description('every change to a deployment, newest first')
    .action(async (name: string, _flags: unknown, command: Command) => {
      const ctx = contextOf(command)
      const page = await ctx.canon.deployments.history(name)
      if (ctx.json) return ctx.printJson(page.items)
      ctx.out(table(['REV', 'AT', 'BY', 'STATUS', 'SPLIT', 'REASON'], page.items.map((h) => [String(h.revision), time(h.at), h.actor, h.status, Object.entries(h.split).map(([v, w]) => `v${v} ${w}%`).join(', '), h.reason ?? ''])))
    })

  deployments
    .command('route')
    .argument('<name>', 'deployment name')
    .argument('<key>', 'request key, e.g. a request or user id')
    .description('which version serves this request key (sticky)')
    .action(async (name: string, key: string, _flags: unknown, command: Command) => {
      const ctx = contextOf(command)
      const decision = await ctx.canon.deployments.route(name, key)
      if (ctx.json) return ctx.printJson(decision)
      ctx.out(`${decision.uri} (${decision.weight}% of traffic)\n`)
    })

  deployments
    .command('delete')
    .argument('<name>', 'deployment name')
    .option('-r, --reason <text>', 'why')
    .description('delete a deployment; its history stays')
    .action(async (name: string, flags: { reason?: string }, command: Command) => {
      const ctx = contextOf(command)
      await ctx.canon.deployments.delete(name, { reason: flags.reason })
      if (ctx.json) return ctx.printJson({ deleted: name })
      ctx.out(`Deleted deployment '${name}'.\n`)
    })
}

function describeSplit(d: Deployment): string {
  return d.split.map((t) => `v${t.version} ${t.weight}%${t.archived ? ' (archived)' : ''}`).join(', ')
}
