#!/usr/bin/env node
// Lets `npx canon` run the TypeScript sources directly: register tsx, then load the CLI.
// Canon needs Node >= 22.13 (node:sqlite); under an older node, re-run with the Node the project pins.
import { spawnSync } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 13)) {
  const here = dirname(realpathSync(fileURLToPath(import.meta.url)))
  const pinned = join(here, '..', '..', '..', 'node_modules', 'node', 'bin', 'node')
  if (!existsSync(pinned)) {
    console.error(`canon: Node ${process.versions.node} is too old; Canon needs Node 22.13 or newer (run npm install in the project to get its pinned Node).`)
    process.exit(2)
  }
  const result = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(result.status ?? 1)
}

const { register } = await import('tsx/esm/api')
register()
await import('../src/main.ts')
