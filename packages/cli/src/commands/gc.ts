import type { Command } from 'commander'
import { contextOf } from '../context'
import { duration } from '../parse'
import { gcSummary } from '../views'

export function registerGcCommand(program: Command): void {
  program
    .command('gc')
    .description('find blobs no version references; a dry run unless --apply')
    .option('--apply', 'delete them for real')
    .option('--grace <duration>', 'keep blobs touched more recently than this, e.g. 1h, 30m, 3600s (server default 1h)', duration)
    .action(async (options: { apply?: boolean; grace?: number }, command: Command) => {
      const ctx = contextOf(command)
      const report = await ctx.canon.gc({ apply: options.apply ?? false, graceSeconds: options.grace })
      if (ctx.json) ctx.printJson(report)
      else ctx.out(gcSummary(report))
    })
}
