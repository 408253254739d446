import type { Command } from 'commander'
import { contextOf } from '../context'
import { versionNumber } from '../parse'
import { aliasTable, versionDetails } from '../views'

export function registerAliasCommands(program: Command): void {
  const alias = program.command('alias').description('named pointers to versions, e.g. champion and challenger')

  alias
    .command('set')
    .description('point an alias at a version (creates it or moves it)')
    .argument('<model>', 'model name')
    .argument('<alias>', 'alias name')
    .argument('<version>', 'version number', versionNumber)
    .option('--override', 'admins: move a protected alias without a request (needs --reason; audited)')
    .option('-r, --reason <text>', 'why (kept in the audit trail)')
    .action(async (model: string, name: string, version: number, options: { override?: boolean; reason?: string }, command: Command) => {
      const ctx = contextOf(command)
      const target = await ctx.canon.aliases.set(model, name, version, { override: options.override, reason: options.reason })
      if (ctx.json) ctx.printJson(target)
      else ctx.out(`${model}@${name} now points at version ${target.version}.\n`)
    })

  alias
    .command('get')
    .description('show the version an alias points at')
    .argument('<model>', 'model name')
    .argument('<alias>', 'alias name')
    .action(async (model: string, name: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const target = await ctx.canon.aliases.get(model, name)
      if (ctx.json) ctx.printJson(target)
      else ctx.out(versionDetails(target))
    })

  alias
    .command('delete')
    .description('delete an alias (the version stays)')
    .argument('<model>', 'model name')
    .argument('<alias>', 'alias name')
    .action(async (model: string, name: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      await ctx.canon.aliases.delete(model, name)
      if (ctx.json) ctx.printJson({ deleted: { model, alias: name } })
      else ctx.out(`Deleted alias ${model}@${name}.\n`)
    })

  alias
    .command('list')
    .description("a model's aliases")
    .argument('<model>', 'model name')
    .action(async (model: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const aliases = await ctx.canon.aliases.list(model)
      if (ctx.json) ctx.printJson(aliases)
      else ctx.out(Object.keys(aliases).length === 0 ? `'${model}' has no aliases.\n` : aliasTable(aliases))
    })
}
