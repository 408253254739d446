import type { Command } from 'commander'
import { outputOf } from '../context'
import { plural } from '../format'

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description("bring the configured database's schema up to date (serve also does this at start)")
    .option('--data-dir <dir>', 'where the embedded database lives (CANON_DATA_DIR, default ./canon-data)')
    .option('--database-url <url>', 'postgres://… or sqlite:… (CANON_DATABASE_URL)')
    .action(async (flags: { dataDir?: string; databaseUrl?: string }, command: Command) => {
      const ctx = outputOf(command)
      const { loadConfig, openStore } = await import('@canon/server')
      const config = loadConfig({ dataDir: flags.dataDir, databaseUrl: flags.databaseUrl })
      const store = await openStore(config)
      try {
        const applied = await store.migrate()
        const where = config.database.kind === 'sqlite' ? config.database.file : `PostgreSQL database '${new URL(config.database.url).pathname.slice(1)}'`
        if (ctx.json) ctx.printJson({ database: config.database.kind, applied })
        else if (applied.length === 0) ctx.out(`The ${where} schema is up to date; nothing to apply.\n`)
        else ctx.out(`Applied ${plural(applied.length, 'migration')} to ${where}:\n${applied.map((name) => `  ${name}\n`).join('')}`)
      } finally {
        await store.close()
      }
    })
}
