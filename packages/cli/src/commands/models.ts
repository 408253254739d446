import { Option, type Command } from 'commander'
import { SortFields, Stages, type Model, type Stage } from '@canon/api'
import { contextOf } from '../context'
import { UsageError } from '../failure'
import { keyValue, positiveInteger, repeatable, stage } from '../parse'
import { modelDetails, modelTable } from '../views'

export function registerModelCommands(program: Command): void {
  const models = program.command('models').description('register, find and change models')

  models
    .command('create')
    .description('register a model')
    .argument('<name>', "model name (letters, digits, '_', '-', '.', '/' and spaces)")
    .option('-d, --description <text>', 'what the model is for')
    .option('--tag <key=value>', 'a tag (repeatable)', keyValue)
    .action(async (name: string, options: { description?: string; tag?: Record<string, string> }, command: Command) => {
      const ctx = contextOf(command)
      const model = await ctx.canon.models.create({ name, description: options.description, tags: options.tag })
      if (ctx.json) ctx.printJson(model)
      else ctx.out(`Created model '${model.name}'.\n`)
    })

  models
    .command('get')
    .description("show a model's details")
    .argument('<name>', 'model name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const model = await ctx.canon.models.get(name)
      if (ctx.json) ctx.printJson(model)
      else ctx.out(modelDetails(model))
    })

  models
    .command('list')
    .description('list models, optionally filtered; follows every page')
    .option('-q, --query <text>', 'name contains (case-insensitive)')
    .option('--tag <key[=value]>', 'has this tag (repeatable; all must match)', repeatable)
    .option('--stage <stage>', `has a version in this stage (${Stages.join(', ')})`, stage)
    .addOption(new Option('--sort <field>', 'sort by').choices(SortFields))
    .addOption(new Option('--order <order>', 'sort order').choices(['asc', 'desc']))
    .option('--limit <n>', 'show at most n models', positiveInteger)
    .action(async (options: { query?: string; tag?: string[]; stage?: Stage; sort?: (typeof SortFields)[number]; order?: 'asc' | 'desc'; limit?: number }, command: Command) => {
      const ctx = contextOf(command)
      const found: Model[] = []
      const pageSize = Math.min(options.limit ?? 1000, 1000)
      for await (const model of ctx.canon.models.iterate({ q: options.query, tag: options.tag, stage: options.stage, sort: options.sort, order: options.order, limit: pageSize })) {
        found.push(model)
        if (options.limit !== undefined && found.length >= options.limit) break
      }
      if (ctx.json) ctx.printJson(found)
      else ctx.out(found.length === 0 ? 'No models.\n' : modelTable(found))
    })

  models
    .command('update')
    .description("change a model's description")
    .argument('<name>', 'model name')
    .requiredOption('-d, --description <text>', 'the new description')
    .action(async (name: string, options: { description: string }, command: Command) => {
      const ctx = contextOf(command)
      const model = await ctx.canon.models.update(name, { description: options.description })
      if (ctx.json) ctx.printJson(model)
      else ctx.out(`Updated model '${model.name}'.\n`)
    })

  models
    .command('rename')
    .description('rename a model; its versions, aliases and tags follow')
    .argument('<name>', 'current name')
    .argument('<new-name>', 'new name')
    .action(async (name: string, newName: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const model = await ctx.canon.models.rename(name, newName)
      if (ctx.json) ctx.printJson(model)
      else ctx.out(`Renamed model '${name}' to '${model.name}'.\n`)
    })

  models
    .command('delete')
    .description('delete a model and all its versions (refused while one is in Production)')
    .argument('<name>', 'model name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      await ctx.canon.models.delete(name)
      if (ctx.json) ctx.printJson({ deleted: { model: name } })
      else ctx.out(`Deleted model '${name}'.\n`)
    })

  models
    .command('tag')
    .description('set tags on a model')
    .argument('<name>', 'model name')
    .argument('<key=value...>', 'tags to set')
    .action(async (name: string, pairs: string[], _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      let model: Model | undefined
      for (const [key, value] of Object.entries(tagPairs(pairs))) model = await ctx.canon.models.setTag(name, key, value)
      if (ctx.json) ctx.printJson(model)
      else ctx.out(`Tagged model '${name}': ${pairs.join(', ')}.\n`)
    })

  models
    .command('untag')
    .description('remove tags from a model')
    .argument('<name>', 'model name')
    .argument('<key...>', 'tag keys to remove')
    .action(async (name: string, keys: string[], _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      for (const key of keys) await ctx.canon.models.deleteTag(name, key)
      if (ctx.json) ctx.printJson({ deleted: { model: name, tags: keys } })
      else ctx.out(`Removed ${keys.map((k) => `'${k}'`).join(', ')} from model '${name}'.\n`)
    })
}

/** `key=value` arguments → record; a missing '=' is a usage error. */
export function tagPairs(pairs: string[]): Record<string, string> {
  const tags: Record<string, string> = {}
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    if (at <= 0) throw new UsageError(`'${pair}' is not key=value.`)
    tags[pair.slice(0, at)] = pair.slice(at + 1)
  }
  return tags
}
