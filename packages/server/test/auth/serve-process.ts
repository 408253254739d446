import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url))

/** `canon serve` as a real child process, started the way a user starts it: `node --import tsx packages/cli/src/main.ts serve`. */
export class ServeProcess {
  stdout = ''
  stderr = ''
  private readonly child: ChildProcess
  private readonly exited: Promise<[number | null, NodeJS.Signals | null]>

  constructor(env: Record<string, string>) {
    // Only what the test sets: no CANON_* setting leaks in from the environment running the tests.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('CANON_')))
    this.child = spawn(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', 'serve'], {
      cwd: repoRoot,
      env: { ...inherited, CANON_LOG_FORMAT: 'json', CANON_HOST: '127.0.0.1', CANON_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk))
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk))
    this.exited = once(this.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  }

  /** The URL from the 'canon is serving' log line, once the server listens. */
  async url(): Promise<string> {
    for (;;) {
      const serving = this.stdout
        .split('\n')
        .map((line) => {
          try {
            return JSON.parse(line) as { msg?: string; url?: string }
          } catch {
            return {}
          }
        })
        .find((entry) => entry.msg === 'canon is serving' && entry.url)
      if (serving?.url) return serving.url
      if (this.child.exitCode !== null) throw new Error(`canon serve exited with ${this.child.exitCode} before serving: ${this.stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  /** Stops the process (SIGTERM) and waits for it to exit. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM')
    const [code] = await this.exited
    return code
  }

  /** Kills the process without warning (SIGKILL), as a crash or the OOM killer would, and waits until it is gone. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
    await this.exited
  }

  /** Waits for a process that is expected to exit by itself. */
  async exitCode(): Promise<number | null> {
    const [code] = await this.exited
    return code
  }
}
