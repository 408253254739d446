import { opendir, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { CanonApiError } from './errors'

export interface LocalFile {
  /** path inside the version: relative, '/'-separated */
  path: string
  /** where it is on this machine */
  localPath: string
  size: number
}

/**
 * The files a push sends: a single file becomes one entry named after it; a directory is walked
 * recursively (symlinks to files are followed, symlinked directories are not, .git/.hg/.svn are skipped), sorted by path.
 */
export async function listLocalFiles(fileOrDir: string): Promise<LocalFile[]> {
  const info = await stat(fileOrDir).catch((error: NodeJS.ErrnoException) => {
    throw new CanonApiError(0, 'NO_FILES', `Cannot read '${fileOrDir}': ${error.code === 'ENOENT' ? 'no such file or directory' : error.message}.`, { path: fileOrDir })
  })
  if (info.isFile()) return [{ path: basename(fileOrDir), localPath: fileOrDir, size: info.size }]
  if (!info.isDirectory()) throw new CanonApiError(0, 'NO_FILES', `'${fileOrDir}' is neither a file nor a directory.`, { path: fileOrDir })
  const files: LocalFile[] = []
  await walk(fileOrDir, [], files)
  if (files.length === 0) throw new CanonApiError(0, 'NO_FILES', `Directory '${fileOrDir}' has no files to push.`, { path: fileOrDir })
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

const VCS_DIRECTORIES = new Set(['.git', '.hg', '.svn'])

async function walk(dir: string, prefix: string[], into: LocalFile[]): Promise<void> {
  for await (const entry of await opendir(dir)) {
    const localPath = join(dir, entry.name)
    const segments = [...prefix, entry.name]
    if (entry.isDirectory()) {
      // version-control metadata is never part of a model (and .git/config may hold credentials)
      if (VCS_DIRECTORIES.has(entry.name)) continue
      await walk(localPath, segments, into)
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      const target = await stat(localPath).catch(() => null)
      if (target?.isFile()) into.push({ path: segments.join('/'), localPath, size: target.size })
    }
  }
}
