import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { repoRoot } from './run-canon'

describe('the canon executable', () => {
  it('runs the TypeScript CLI through its bin shim, as `npx canon` does', async () => {
    const child = spawn(process.execPath, ['packages/cli/bin/canon.js', '--version'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    const code = await new Promise((resolve) => child.on('close', resolve))
    expect(code).toBe(0)
    expect(stdout).toBe('0.1.0\n')
  })
})
