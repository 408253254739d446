import { execFile } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { arch, platform } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import type { LineageInput } from '@canon/api'

const run = promisify(execFile)

/** git's answer, or undefined when git is missing, the path is not in a repository, or the answer is empty. */
async function git(cwd: string, ...args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['-C', cwd, ...args], { timeout: 5000, maxBuffer: 4 * 1024 * 1024 })
    return stdout.trim() || undefined
  } catch {
    return undefined
  }
}

/** The code a pushed path comes from: the git repository around it, its commit and branch, and whether the tree is dirty. */
export async function codeOf(path: string): Promise<LineageInput['code']> {
  const dir = (await stat(path)).isDirectory() ? path : dirname(path)
  const commit = await git(dir, 'rev-parse', 'HEAD')
  if (!commit) return undefined
  const [repository, branch, status] = await Promise.all([
    git(dir, 'config', '--get', 'remote.origin.url'),
    git(dir, 'rev-parse', '--abbrev-ref', 'HEAD'),
    git(dir, 'status', '--porcelain', '--untracked-files=no'),
  ])
  return { commit, dirty: status !== undefined, ...(repository && { repository: stripCredentials(repository) }), ...(branch && branch !== 'HEAD' && { branch }) }
}

/** The environment a push ran in: runtimes found on this machine, and packages pinned by a requirements.txt next to the artifacts. */
export async function environmentOf(path: string, image?: string): Promise<LineageInput['environment']> {
  const runtime: Record<string, string> = { node: process.versions.node, os: `${platform()}-${arch()}` }
  const python = await pythonVersion()
  if (python) runtime.python = python
  const dir = (await stat(path)).isDirectory() ? path : dirname(path)
  const packages = await requirements(join(dir, 'requirements.txt'))
  return { runtime, ...(packages.length > 0 && { packages }), ...(image && { image }) }
}

async function pythonVersion(): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run('python3', ['--version'], { timeout: 5000 })
    return /Python (\S+)/.exec(stdout || stderr)?.[1]
  } catch {
    return undefined
  }
}

async function requirements(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '')
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line && !line.startsWith('-'))
    .slice(0, 5000)
}

/** https://user:token@host/repo → https://host/repo: a token never goes into the registry. */
function stripCredentials(url: string): string {
  return url.replace(/^(\w+:\/\/)[^/@]+@/, '$1')
}
