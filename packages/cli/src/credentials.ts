import { readFileSync } from 'node:fs'
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

export interface SavedLogin {
  url: string
  token: string
}

/** Where `canon login` keeps the server URL and token (readable by the user only). CANON_CONFIG_DIR overrides the folder. */
export function credentialsFile(): string {
  const base = process.env.CANON_CONFIG_DIR ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'canon')
  return join(base, 'credentials.json')
}

export function readLogin(): SavedLogin | undefined {
  try {
    const saved = JSON.parse(readFileSync(credentialsFile(), 'utf8')) as Partial<SavedLogin>
    return typeof saved.url === 'string' && typeof saved.token === 'string' ? { url: saved.url, token: saved.token } : undefined
  } catch {
    return undefined
  }
}

export async function saveLogin(login: SavedLogin): Promise<string> {
  const file = credentialsFile()
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  await writeFile(file, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 })
  await chmod(file, 0o600)
  return file
}

export async function forgetLogin(): Promise<void> {
  await rm(credentialsFile(), { force: true })
}
