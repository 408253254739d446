import { execFile } from 'node:child_process'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const uiRoot = fileURLToPath(new URL('../../', import.meta.url))
export const uiDist = join(uiRoot, 'dist')

async function newestSource(dir: string): Promise<number> {
  let newest = 0
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? await newestSource(path) : (await stat(path)).mtimeMs)
  }
  return newest
}

/** Builds packages/ui when dist/ is missing or older than a source file, so the browser tests drive the current code. */
export async function ensureUiBuilt(): Promise<void> {
  const built = await stat(join(uiDist, 'index.html')).then((s) => s.mtimeMs, () => 0)
  const sources = Math.max(await newestSource(join(uiRoot, 'src')), (await stat(join(uiRoot, 'index.html'))).mtimeMs)
  if (built > sources) return
  const vite = fileURLToPath(new URL('../../../../node_modules/vite/bin/vite.js', import.meta.url))
  await promisify(execFile)(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: uiRoot })
}
