import { fork, type ChildProcess } from 'node:child_process'
import { openSync, closeSync } from 'node:fs'
import { once } from 'node:events'

/** A server running in its own process, so the load generator never shares its event loop. */
export interface ChildServer {
  readonly url: string
  readonly pid: number
  /** graceful stop (SIGTERM), then SIGKILL if it has not exited within 10 s */
  stop(): Promise<void>
  /** SIGKILL, as a crash or an OOM killer would; resolves once the process is gone */
  kill(): Promise<void>
  /** the child's process.memoryUsage(), if it answers over IPC within 2 s */
  memoryUsage(): Promise<NodeJS.MemoryUsage | undefined>
}

/** Forks `entry` under tsx with `env` added, its stdout (logs) appended to `logFile`, and waits for it to report its URL over IPC. */
export async function startChildServer(entry: string, env: Record<string, string>, logFile: string, nodeFlags: string[] = []): Promise<ChildServer> {
  const logFd = openSync(logFile, 'a')
  const child = fork(entry, [], {
    execArgv: [...nodeFlags, '--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', logFd, 'inherit', 'ipc'],
  })
  closeSync(logFd)
  const url = await waitForUrl(child, entry)
  child.channel?.unref()
  const exited = once(child, 'exit')
  const pid = child.pid as number
  return {
    url,
    pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGKILL')
      await exited
    },
    memoryUsage() {
      return new Promise((resolve) => {
        if (!child.connected) return resolve(undefined)
        const timer = setTimeout(() => done(undefined), 2000)
        const onMessage = (message: { memory?: NodeJS.MemoryUsage }) => {
          if (message?.memory) done(message.memory)
        }
        const done = (memory: NodeJS.MemoryUsage | undefined) => {
          clearTimeout(timer)
          child.off('message', onMessage)
          resolve(memory)
        }
        child.on('message', onMessage)
        child.send({ type: 'memory' })
      })
    },
  }
}

function waitForUrl(child: ChildProcess, entry: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${entry} did not report its URL within 60 s`))
    }, 60_000)
    child.once('message', (message: { url?: string }) => {
      clearTimeout(timer)
      if (typeof message?.url === 'string') resolve(message.url)
      else reject(new Error(`${entry} sent an unexpected message: ${JSON.stringify(message)}`))
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`${entry} exited before serving (code ${code}, signal ${signal}); see its log`))
    })
  })
}
