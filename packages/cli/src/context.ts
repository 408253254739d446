import type { Command } from 'commander'
import { CanonClient } from '@canon/sdk'
import { UsageError } from './failure'

export const DEFAULT_URL = 'http://127.0.0.1:5000'

export interface GlobalOptions {
  url?: string
  token?: string
  json?: boolean
}

export interface Output {
  json: boolean
  /** writes to stdout */
  out(text: string): void
  /** prints a value as JSON on stdout */
  printJson(value: unknown): void
}

/** What a command that talks to a server needs: a client for it and how to print. */
export interface CommandContext extends Output {
  canon: CanonClient
}

export function outputOf(command: Command): Output {
  return {
    json: command.optsWithGlobals<GlobalOptions>().json ?? false,
    out: (text) => process.stdout.write(text),
    printJson: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  }
}

export function contextOf(command: Command): CommandContext {
  const options = command.optsWithGlobals<GlobalOptions>()
  const url = options.url ?? process.env.CANON_URL ?? DEFAULT_URL
  let canon: CanonClient
  try {
    canon = new CanonClient({ url, token: options.token ?? process.env.CANON_TOKEN })
  } catch (error) {
    throw new UsageError(`--url / CANON_URL: ${(error as Error).message}`)
  }
  return { ...outputOf(command), canon }
}
