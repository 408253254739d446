import type { Command } from 'commander'
import { contextOf } from '../context'
import { bytes, plural } from '../format'
import { byteSize, datasetRef, keyNumber, keyValue, versionRef } from '../parse'
import { codeOf, environmentOf } from '../working-tree'
import { progressDisplay } from '../progress'

interface PushFlags {
  description?: string
  tag?: Record<string, string>
  metric?: Record<string, number>
  param?: Record<string, string>
  source?: string
  runId?: string
  createModel: boolean
  parent?: { model: string; version: number }
  dataset?: { uri: string; digest: string }[]
  image?: string
  lineage: boolean
  partThreshold?: number
  partSize?: number
}

export function registerPushCommand(program: Command): void {
  program
    .command('push')
    .description('register a new version from a file or a directory; uploads only what the server does not have')
    .argument('<model>', 'model name (registered first if it does not exist)')
    .argument('<file-or-dir>', 'a file, or a directory whose files (recursively) make up the version')
    .option('-d, --description <text>', 'what changed in this version')
    .option('--tag <key=value>', 'a version tag (repeatable)', keyValue)
    .option('--metric <key=number>', 'a metric, e.g. auc=0.91 (repeatable)', keyNumber)
    .option('--param <key=value>', 'a training parameter (repeatable)', keyValue)
    .option('--source <uri>', 'where the artifacts came from, e.g. s3://bucket/run/42')
    .option('--run-id <id>', 'the training run that produced it')
    .option('--no-create-model', 'fail instead of registering a missing model')
    .option('--parent <model/version>', 'the version this one was fine-tuned from, e.g. churn/3', versionRef)
    .option('--dataset <uri@digest>', 'a dataset it was trained on, e.g. dataset://events/2024-06@sha256:ab… (repeatable)', datasetRef)
    .option('--image <ref>', 'the container image it was trained in')
    .option('--no-lineage', "don't record the git commit and environment of the working tree")
    .option('--part-threshold <size>', 'send files at least this large as resumable uploads in parts (CANON_PART_THRESHOLD, default 64MiB)', byteSize)
    .option('--part-size <size>', "part size for those uploads, e.g. 16MiB (default: the server's)", byteSize)
    .action(async (model: string, path: string, flags: PushFlags, command: Command) => {
      const ctx = contextOf(command)
      const progress = progressDisplay()
      try {
        // the git commit, branch and dirty flag of the tree the files come from, and the machine's runtimes
        const [code, environment] = flags.lineage ? await Promise.all([codeOf(path).catch(() => undefined), environmentOf(path, flags.image).catch(() => undefined)]) : [undefined, flags.image ? { image: flags.image } : undefined]
        const lineage = { ...(code && { code }), ...(environment && { environment }), ...(flags.parent && { parent: flags.parent }), ...(flags.dataset && { datasets: flags.dataset }) }
        const result = await ctx.canon.pushVersion(model, path, {
          lineage,
          description: flags.description,
          tags: flags.tag,
          metrics: flags.metric,
          params: flags.param,
          source: flags.source,
          runId: flags.runId,
          createModel: flags.createModel,
          partThreshold: flags.partThreshold ?? (process.env.CANON_PART_THRESHOLD ? byteSize(process.env.CANON_PART_THRESHOLD) : undefined),
          partSize: flags.partSize,
          onProgress: (p) => progress.update(p.phase === 'hashing' ? 'hashing  ' : 'uploading', p.bytesDone, p.bytesTotal, p.path),
        })
        progress.stop()
        if (ctx.json) return ctx.printJson(result.version)
        const { version } = result
        ctx.out(
          `Pushed '${version.model}' version ${version.version}: ${plural(result.files, 'file')}, ${bytes(result.totalBytes)}; ` +
            `uploaded ${plural(result.uploadedBlobs, 'blob')} (${bytes(result.uploadedBytes)}), ${plural(result.skippedFiles, 'file')} already on the server` +
            `${result.resumedBytes > 0 ? `; resumed an interrupted upload, ${bytes(result.resumedBytes)} not sent again` : ''}.\n`,
        )
      } finally {
        progress.stop()
      }
    })
}
