import type { Command } from 'commander'
import { contextOf } from '../context'
import { versionDetails } from '../views'

export function registerResolveCommand(program: Command): void {
  program
    .command('resolve')
    .description('show the version a model URI names: models:/m/3, models:/m/Production, models:/m@alias, models:/m/latest, model://m/v3')
    .argument('<uri>', 'model URI')
    .action(async (uri: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const version = await ctx.canon.resolve(uri)
      if (ctx.json) ctx.printJson(version)
      else ctx.out(versionDetails(version))
    })
}
