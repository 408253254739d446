import type { Command } from 'commander'
import { contextOf } from '../context'
import { bytes, plural } from '../format'
import { progressDisplay } from '../progress'

export function registerPullCommand(program: Command): void {
  program
    .command('pull')
    .description("download a version's files into a directory, verifying every sha256 before a file appears")
    .argument('<uri>', 'model URI, e.g. models:/churn@champion or models:/churn/3')
    .argument('<dir>', 'target directory (created if missing)')
    .action(async (uri: string, dir: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const progress = progressDisplay()
      try {
        const result = await ctx.canon.pullVersion(uri, dir, { onProgress: (p) => progress.update('downloading', p.bytesDone, p.bytesTotal, p.path) })
        progress.stop()
        const { version } = result
        if (ctx.json) {
          return ctx.printJson({ model: version.model, version: version.version, dir: result.dir, files: result.files })
        }
        ctx.out(`Pulled '${version.model}' version ${version.version} into ${result.dir}: ${plural(result.files.length, 'file')}, ${bytes(result.totalBytes)}, every sha256 verified.\n`)
      } finally {
        progress.stop()
      }
    })
}
