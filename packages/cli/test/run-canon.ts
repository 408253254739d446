import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const mainScript = 'packages/cli/src/main.ts'

export interface CanonRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Starts `canon <args>` as a real child process, the way a user runs it (`node --import tsx …`). */
export function spawnCanon(args: string[], env: Record<string, string | undefined> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', mainScript, ...args], {
    cwd: repoRoot,
    env: { ...process.env, CANON_DEBUG: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Runs `canon <args>` to completion; asynchronous, so an in-process test server keeps answering meanwhile. */
export function runCanon(args: string[], env: Record<string, string | undefined> = {}): Promise<CanonRun> {
  const child = spawnCanon(args, env)
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** A CLI bound to one server through CANON_URL. */
export function canonAt(url: string) {
  return (...args: string[]) => runCanon(args, { CANON_URL: url })
}

/** Runs a command that must succeed and parses its `--json` output. */
export async function jsonOf<T = unknown>(run: Promise<CanonRun>): Promise<T> {
  const result = await run
  if (result.code !== 0) throw new Error(`canon exited ${result.code}: ${result.stderr}`)
  return JSON.parse(result.stdout) as T
}
