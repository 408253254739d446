import { Option, type Command } from 'commander'
import { Stages, type Stage, type Version, type VersionSummary } from '@canon/api'
import { contextOf } from '../context'
import { positiveInteger, repeatable, stage, timestamp, versionNumber } from '../parse'
import { transitionTable, versionDetails, versionTable } from '../views'
import { tagPairs } from './models'

interface ListOptions {
  stage?: Stage
  tag?: string[]
  runId?: string
  createdAfter?: string
  createdBefore?: string
  order?: 'asc' | 'desc'
  limit?: number
  filter?: string
}

export function registerVersionCommands(program: Command): void {
  const versions = program.command('versions').description('find, inspect and change model versions')

  versions
    .command('list')
    .alias('search')
    .description("list a model's versions, or search versions across models; follows every page")
    .argument('[model]', 'only this model')
    .option('--filter <expression>', "search language, e.g. \"metrics.val_auc > 0.9 AND (tags.team = 'risk' OR params.max_depth = '6')\"")
    .option('--stage <stage>', `in this stage (${Stages.join(', ')})`, stage)
    .option('--tag <key[=value]>', 'has this tag (repeatable; all must match)', repeatable)
    .option('--run-id <id>', 'from this training run')
    .option('--created-after <time>', 'created after this date/time', timestamp)
    .option('--created-before <time>', 'created before this date/time', timestamp)
    .addOption(new Option('--order <order>', 'by creation, newest first by default').choices(['asc', 'desc']))
    .option('--limit <n>', 'show at most n versions', positiveInteger)
    .action(async (model: string | undefined, options: ListOptions, command: Command) => {
      const ctx = contextOf(command)
      const found: VersionSummary[] = []
      const { limit, ...filters } = options
      for await (const version of ctx.canon.versions.iterate({ ...filters, model, limit: Math.min(limit ?? 1000, 1000) })) {
        found.push(version)
        if (limit !== undefined && found.length >= limit) break
      }
      if (ctx.json) ctx.printJson(found)
      else ctx.out(found.length === 0 ? 'No versions.\n' : versionTable(found, model === undefined))
    })

  versions
    .command('get')
    .description('show a version with its files, metrics and lineage')
    .argument('<model>', 'model name')
    .argument('<version>', 'version number', versionNumber)
    .action(async (model: string, version: number, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const found = await ctx.canon.versions.get(model, version)
      if (ctx.json) ctx.printJson(found)
      else ctx.out(versionDetails(found))
    })

  versions
    .command('update')
    .description("change a version's description (nothing else about a version changes)")
    .argument('<model>', 'model name')
    .argument('<version>', 'version number', versionNumber)
    .requiredOption('-d, --description <text>', 'the new description')
    .action(async (model: string, version: number, options: { description: string }, command: Command) => {
      const ctx = contextOf(command)
      const updated = await ctx.canon.versions.update(model, version, options.description)
      if (ctx.json) ctx.printJson(updated)
      else ctx.out(`Updated '${model}' version ${version}.\n`)
    })

  versions
    .command('delete')
    .description('delete a version (refused while in Production); its number is never reused')
    .argument('<model>', 'model name')
    .argument('<version>', 'version number', versionNumber)
    .action(async (model: string, version: number, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      await ctx.canon.versions.delete(model, version)
      if (ctx.json) ctx.printJson({ deleted: { model, version } })
      else ctx.out(`Deleted '${model}' version ${version}.\n`)
    })

  versions
    .command('tag')
    .description('set tags on a version')
    .argument('<model>', 'model name')
    .argument('<version>', 'version number', versionNumber)
    .argument('<key=value...>', 'tags to set')
    .action(async (model: string, version: number, pairs: string[], _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      let updated: Version | undefined
      for (const [key, value] of Object.entries(tagPairs(pairs))) updated = await ctx.canon.versions.setTag(model, version, key, value)
      if (ctx.json) ctx.printJson(updated)
      else ctx.out(`Tagged '${model}' version ${version}: ${pairs.join(', ')}.\n`)
    })

  versions
    .command('untag')
    .description('remove tags from a version')
    .argument('<model>', 'model name')
    .argument('<version>', 'version number', versionNumber)
    .argument('<key...>', 'tag keys to remove')
    .action(async (model: string, version: number, keys: string[], _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      for (const key of keys) await ctx.canon.versions.deleteTag(model, version, key)
      if (ctx.json) ctx.printJson({ deleted: { model, version, tags: keys } })
      else ctx.out(`Removed ${keys.map((k) => `'${k}'`).join(', ')} from '${model}' version ${version}.\n`)
    })

  versions
    .command('transitions')
    .description("a version's stage history: who moved it, when and why")
    .argument('<model>', 'model name')
    .argument('<version>', 'version number', versionNumber)
    .action(async (model: string, version: number, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const history = await ctx.canon.versions.transitions(model, version)
      if (ctx.json) ctx.printJson(history)
      else ctx.out(history.length === 0 ? `'${model}' version ${version} has never changed stage.\n` : transitionTable(history))
    })

  for (const [verb, status] of [['approve', 'approved'], ['reject', 'rejected']] as const) {
    versions
      .command(verb)
      .description(`${verb} a version as an approver (recorded with who, when and your comment; never your own version when auth is on)`)
      .argument('<model>', 'model name')
      .argument('<version>', 'version number', versionNumber)
      .option('-c, --comment <text>', 'why (kept with the verdict and in the audit trail)')
      .action(async (model: string, version: number, options: { comment?: string }, command: Command) => {
        const ctx = contextOf(command)
        const updated = await ctx.canon.versions.setApproval(model, version, { status, comment: options.comment })
        if (ctx.json) ctx.printJson(updated)
        else ctx.out(`'${model}' version ${version} is ${status}${options.comment ? `: ${options.comment}` : ''}.\n`)
      })
  }
}
