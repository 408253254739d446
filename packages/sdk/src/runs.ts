import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { CreateRunInput, DatasetRef, LineageInput, MetricHistory, Run, Version } from '@canon/api'
import { listLocalFiles } from './local-files'
import { pullStream } from './streams'
import type { Transport } from './transport'

const runPath = (id: string) => `/api/v1/runs/${encodeURIComponent(id)}`

export interface RegisterOptions {
  /** the artifact directory to register (default: all of the run's artifacts) */
  path?: string
  description?: string
  tags?: Record<string, string>
  /** code, environment, parent and extra datasets; the run's own params, metrics and datasets come with it */
  lineage?: LineageInput
}

/** Tracked training runs: start one, log to it, register a version from it. */
export class RunsApi {
  constructor(private readonly http: Transport) {}

  /** Starts a run in an experiment (created if it does not exist). */
  async start(input: CreateRunInput): Promise<RunHandle> {
    const run = await this.http.json<Run>('POST', '/api/v1/runs', { json: input })
    return new RunHandle(this.http, run.id)
  }

  get(id: string): Promise<Run> {
    return this.http.json('GET', runPath(id))
  }

  /** A handle on an existing run, e.g. to resume logging from another process. */
  handle(id: string): RunHandle {
    return new RunHandle(this.http, id)
  }
}

/** One run, with methods that read like a training script. */
export class RunHandle {
  constructor(
    private readonly http: Transport,
    readonly id: string,
  ) {}

  get(): Promise<Run> {
    return this.http.json('GET', runPath(this.id))
  }

  /** Params are write-once: logging the same key again with another value is refused. */
  async logParams(params: Record<string, string | number | boolean>): Promise<void> {
    await this.log({ params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) })
  }

  /** `{auc: 0.9, loss: 0.2}` at one step (default 0); metrics keep their whole history. */
  async logMetrics(metrics: Record<string, number>, options: { step?: number; timestamp?: number } = {}): Promise<void> {
    await this.log({ metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, step: options.step, timestamp: options.timestamp })) })
  }

  async logMetric(key: string, value: number, step?: number): Promise<void> {
    await this.log({ metrics: [{ key, value, step }] })
  }

  async setTags(tags: Record<string, string>): Promise<void> {
    await this.log({ tags })
  }

  /** Datasets the run consumed: `dataset://name/version` or any URI, with a digest; role defaults to training. */
  async logDatasets(datasets: DatasetRef[]): Promise<void> {
    await this.log({ datasets })
  }

  /** Uploads one artifact: a local file path (streamed) or bytes, stored under `artifactPath`. */
  async logArtifact(artifactPath: string, source: string | Uint8Array): Promise<{ path: string; size: number; digest: string }> {
    const size = typeof source === 'string' ? (await stat(source)).size : source.byteLength
    const bytes = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1024 * 1024 }) : source
    return this.http.json('PUT', `${runPath(this.id)}/artifacts/${artifactPath.split('/').map(encodeURIComponent).join('/')}`, {
      body: pullStream(bytes, () => {}),
      headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' },
    })
  }

  /** Uploads every file of a local directory under `prefix` (e.g. 'model'). */
  async logArtifacts(localDir: string, prefix = ''): Promise<number> {
    const files = await listLocalFiles(localDir)
    for (const file of files) await this.logArtifact(prefix ? `${prefix}/${file.path}` : file.path, file.localPath)
    return files.length
  }

  async end(status: 'FINISHED' | 'FAILED' | 'KILLED' = 'FINISHED'): Promise<Run> {
    return this.http.json('POST', `${runPath(this.id)}/end`, { json: { status } })
  }

  metricHistory(key: string): Promise<MetricHistory> {
    return this.http.json('GET', `${runPath(this.id)}/metrics/${encodeURIComponent(key)}`)
  }

  /** Registers the run's artifacts as a new version of `model` (created if missing), with the run as its lineage. */
  registerVersion(model: string, options: RegisterOptions = {}): Promise<Version> {
    return this.http.json('POST', `${runPath(this.id)}/register`, { json: { model, ...options } })
  }

  private async log(body: object): Promise<void> {
    await this.http.json('POST', `${runPath(this.id)}/log`, { json: body })
  }
}
