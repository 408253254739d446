import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * A PostgreSQL cluster of this test's own (initdb into a temp dir, on a free port): the shared cluster other suites use
 * must never be stopped, but this one can be, in the middle of traffic.
 */
export class PrivatePostgres {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
    private readonly asUser: string | undefined,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`
  }

  /** Creates and starts the cluster, or says in one sentence why it cannot be had on this machine. */
  static async create(): Promise<PrivatePostgres | { unavailable: string }> {
    const bin = findBinaries()
    if (!bin) return { unavailable: 'no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin' }
    // initdb refuses to run as root: as root, run the server binaries as the postgres user.
    const asUser = userInfo().uid === 0 ? 'postgres' : undefined
    const dir = await mkdtemp(join(tmpdir(), 'canon-private-pg-'))
    try {
      if (asUser) {
        const { stdout } = await run('id', ['-u', asUser])
        const { stdout: gid } = await run('id', ['-g', asUser])
        await chown(dir, Number(stdout.trim()), Number(gid.trim()))
      }
      const cluster = new PrivatePostgres(bin, dir, await freePort(), asUser)
      await cluster.exec('initdb', ['-D', cluster.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
      await cluster.start()
      return cluster
    } catch (error) {
      await rm(dir, { recursive: true, force: true })
      return { unavailable: `a private PostgreSQL cluster could not be started: ${(error as Error).message.split('\n')[0]}` }
    }
  }

  private get dataDir(): string {
    return join(this.dir, 'data')
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`
    await this.exec('pg_ctl', ['-D', this.dataDir, '-l', join(this.dir, 'log'), '-o', options, '-w', '-t', '60', 'start'])
  }

  /** Stops at once, as a crash or a failover would: open connections are cut, nothing is shut down cleanly. */
  async crash(): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop'])
  }

  async destroy(): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {})
    await rm(this.dir, { recursive: true, force: true })
  }

  private async exec(tool: string, args: string[]): Promise<void> {
    const path = join(this.bin, tool)
    await (this.asUser ? run('runuser', ['-u', this.asUser, '--', path, ...args]) : run(path, args))
  }
}

function findBinaries(): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? join(root, versions[0], 'bin') : undefined
}

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}
