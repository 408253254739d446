import { CommanderError } from 'commander'
import { CanonApiError } from '@canon/sdk'

/** A mistake in how the command was called (exit 2), as opposed to a failure of the request (exit 1). */
export class UsageError extends Error {
  override name = 'UsageError'
}

export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const

/** Prints one line for any failure and returns the exit code; a stack trace only with CANON_DEBUG set. */
export function reportFailure(error: unknown, writeErr: (line: string) => void = (line) => process.stderr.write(line)): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message through outputError
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok
    return ExitCode.usage
  }
  if (process.env.CANON_DEBUG) writeErr(`${(error as Error)?.stack ?? String(error)}\n`)
  if (error instanceof CanonApiError) {
    writeErr(`canon: ${error.message} (${error.code})\n`)
    return ExitCode.failed
  }
  const message = (error as Error)?.message ?? String(error)
  // ConfigError comes from @canon/server, which is loaded only by `serve` and `migrate`
  if (error instanceof UsageError) {
    writeErr(`canon: ${message} (USAGE)\n`)
    return ExitCode.usage
  }
  if ((error as Error)?.name === 'ConfigError') {
    writeErr(`canon: ${message}\n`)
    return ExitCode.usage
  }
  const code = (error as NodeJS.ErrnoException)?.code
  writeErr(`canon: ${message}${typeof code === 'string' ? ` (${code})` : ''}\n`)
  return ExitCode.failed
}
