import type { Command } from 'commander'
import { reportFailure } from '../failure'

interface ServeFlags {
  host?: string
  port?: string
  dataDir?: string
  databaseUrl?: string
  logLevel?: string
  auth?: string
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the Canon server (settings also come from CANON_* environment variables)')
    .option('--host <host>', 'address to bind (CANON_HOST, default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (CANON_PORT, default 5000)')
    .option('--data-dir <dir>', 'where the embedded database and blobs live (CANON_DATA_DIR, default ./canon-data)')
    .option('--database-url <url>', 'postgres://… or sqlite:… (CANON_DATABASE_URL, default SQLite in the data dir)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (CANON_LOG_LEVEL, default info)')
    .option('--auth <on|off>', 'require API tokens (CANON_AUTH, default off; required beyond loopback)')
    .action(async (flags: ServeFlags) => {
      // the server and its drivers load only for the commands that run it
      const { loadConfig, startServer } = await import('@canon/server')
      const config = loadConfig(flags)
      const running = await startServer(config)
      let stopping = false
      // first signal: finish in-flight requests and close the database; a second one stops at once
      const stop = () => {
        if (stopping) process.exit(130)
        stopping = true
        running.close().then(
          () => process.exit(0),
          (error: unknown) => process.exit(reportFailure(error)),
        )
      }
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
    })
}
