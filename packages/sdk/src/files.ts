import type { FileEntry } from '@canon/api'
import { rangeHeader, toDownload, type Download } from './download'
import { paths } from './paths'
import type { Transport } from './transport'
import type { ByteRange } from './types'

export class FilesApi {
  constructor(private readonly http: Transport) {}

  /** Path, size and sha256 of each file of the version. */
  async manifest(model: string, version: number): Promise<FileEntry[]> {
    const { files } = await this.http.json<{ files: FileEntry[] }>('GET', paths.files(model, version))
    return files
  }

  /** Opens one file for streaming; with `range`, only those bytes (HTTP 206). */
  async download(model: string, version: number, path: string, options: { range?: ByteRange; signal?: AbortSignal } = {}): Promise<Download> {
    const response = await this.http.request('GET', paths.file(model, version, path), { headers: rangeHeader(options.range), signal: options.signal })
    return toDownload(response)
  }
}
