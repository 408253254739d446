import type { Command } from 'commander'
import { CanonClient } from '@canon/sdk'
import { UsageError } from './failure'
import { readLogin } from './credentials'

const sameServer = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '')

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
  const saved = readLogin()
  const url = options.url ?? process.env.CANON_URL ?? saved?.url ?? DEFAULT_URL
  // A saved login is used only for the server it was made for.
  const token = options.token ?? process.env.CANON_TOKEN ?? (saved && sameServer(saved.url, url) ? saved.token : undefined)
  let canon: CanonClient
  try {
    canon = new CanonClient({ url, token })
  } catch (error) {
    throw new UsageError(`--url / CANON_URL: ${(error as Error).message}`)
  }
  return { ...outputOf(command), canon }
}
