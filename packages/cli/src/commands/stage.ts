import type { Command } from 'commander'
import { Stages, type Stage } from '@canon/api'
import { contextOf } from '../context'
import { stage, versionNumber } from '../parse'

export function registerStageCommand(program: Command): void {
  program
    .command('stage')
    .description('move a version to a stage; promoting to Production archives the current Production version unless told not to')
    .argument('<model>', 'model name')
    .argument('<version>', 'version number', versionNumber)
    .argument('<stage>', Stages.join(' | '), stage)
    .option('-r, --reason <text>', 'why (kept in the stage history and the audit trail)')
    .option('--no-archive-existing', 'keep the current Production version(s) in Production')
    .option('--override', "admins: promote although the model's policy is not satisfied (needs --reason; audited)")
    .action(async (model: string, version: number, target: Stage, options: { reason?: string; archiveExisting: boolean; override?: boolean }, command: Command) => {
      const ctx = contextOf(command)
      const moved = await ctx.canon.versions.transitionStage(model, version, { stage: target, reason: options.reason, archiveExisting: options.archiveExisting, override: options.override })
      if (ctx.json) ctx.printJson(moved)
      else ctx.out(`'${model}' version ${moved.version} is now in ${moved.stage}.\n`)
    })
}
