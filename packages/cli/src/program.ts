import { createRequire } from 'node:module'
import { Command } from 'commander'
import { registerAliasCommands } from './commands/aliases'
import { registerAuditCommands } from './commands/audit'
import { registerCardCommands } from './commands/cards'
import { registerIdentityCommands } from './commands/identities'
import { registerGcCommand } from './commands/gc'
import { registerGovernanceCommands } from './commands/governance'
import { registerMigrateCommand } from './commands/migrate'
import { registerModelCommands } from './commands/models'
import { registerPullCommand } from './commands/pull'
import { registerPushCommand } from './commands/push'
import { registerResolveCommand } from './commands/resolve'
import { registerServeCommand } from './commands/serve'
import { registerStageCommand } from './commands/stage'
import { registerVersionCommands } from './commands/versions'
import { registerLineageCommands } from './commands/lineage'
import { registerDeploymentCommands } from './commands/deployments'
import { registerWebhookCommands } from './commands/webhooks'
import { DEFAULT_URL } from './context'

export const CLI_VERSION: string = createRequire(import.meta.url)('../package.json').version

/** The `canon` command tree; errors throw (exitOverride) so the caller decides the exit code. */
export function buildProgram(): Command {
  const program = new Command('canon')
    .description('Canon model registry: register, promote and fetch model versions')
    .version(CLI_VERSION)
    .option('--url <url>', `Canon server URL (CANON_URL, default ${DEFAULT_URL})`)
    .option('--token <token>', 'API token (CANON_TOKEN)')
    .option('--json', 'print raw JSON for scripts instead of tables')
    .exitOverride()
    .configureOutput({
      // one line, `canon: …`, like every other failure
      outputError: (message, write) => write(`canon: ${message.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (USAGE)\n`),
    })

  registerServeCommand(program)
  registerMigrateCommand(program)
  registerModelCommands(program)
  registerVersionCommands(program)
  registerPushCommand(program)
  registerPullCommand(program)
  registerStageCommand(program)
  registerAliasCommands(program)
  registerResolveCommand(program)
  registerGcCommand(program)
  registerAuditCommands(program)
  registerIdentityCommands(program)
  registerGovernanceCommands(program)
  registerCardCommands(program)
  registerLineageCommands(program)
  registerDeploymentCommands(program)
  registerWebhookCommands(program)
  return program
}
