import { createHash, randomFillSync } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { open, rm, statfs } from 'node:fs/promises'
import { request } from 'node:http'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'
import { machineBusySeconds } from './process-monitor'

const run = promisify(execFile)
const MiB = 1024 * 1024

/** Free bytes on the filesystem holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir)
  return s.bavail * s.bsize
}

/** Writes `bytes` of fresh random data to `path` in 8 MiB chunks. */
export async function makeRandomFile(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'w')
  const chunk = Buffer.allocUnsafe(8 * MiB)
  try {
    for (let written = 0; written < bytes; ) {
      const n = Math.min(chunk.length, bytes - written)
      randomFillSync(chunk, 0, n)
      await handle.write(chunk, 0, n)
      written += n
    }
  } finally {
    await handle.close()
  }
}

/** Times `work`; machineCpuPct is how busy the whole machine was meanwhile (all processes, % of one core; 200% = both of 2 cores). */
export async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; machineCpuPct: number; value: T }> {
  const started = performance.now()
  const busy = machineBusySeconds()
  const value = await work()
  const seconds = (performance.now() - started) / 1000
  return { seconds, machineCpuPct: ((machineBusySeconds() - busy) / seconds) * 100, value }
}

export interface Baseline {
  digest: string
  sha256sumSeconds: number
  cpSeconds: number
  /** fsync of the copy (coreutils `sync FILE`), measured after cp: the server fsyncs every blob before acknowledging it */
  fsyncSeconds: number
  /** `openssl dgst -sha256 f`, when openssl is installed: a hasher using the CPU's SHA instructions, as Node's does */
  opensslSeconds?: number
  /** machine-wide CPU busy % while sha256sum and cp ran */
  machineCpuPct: { sha256sum: number; cp: number }
}

/** The yardstick from the issue: `sha256sum f` then `cp f copy`, with the copy's fsync timed separately. */
export async function measureBaseline(path: string, copyPath: string): Promise<Baseline> {
  const hash = await timed(() => run('sha256sum', [path]))
  const copy = await timed(() => run('cp', [path, copyPath]))
  const sync = await timed(() => run('sync', [copyPath]))
  await rm(copyPath, { force: true })
  const openssl = await timed(() => run('openssl', ['dgst', '-sha256', path])).catch(() => undefined)
  return {
    digest: `sha256:${hash.value.stdout.split(' ')[0]}`,
    sha256sumSeconds: hash.seconds,
    cpSeconds: copy.seconds,
    fsyncSeconds: sync.seconds,
    ...(openssl && { opensslSeconds: openssl.seconds }),
    machineCpuPct: { sha256sum: hash.machineCpuPct, cp: copy.machineCpuPct },
  }
}

/** Streams the file to PUT /api/v1/blobs/<digest> (never buffered); resolves with the time until the server's 201. */
export async function uploadFile(baseUrl: string, path: string, size: number, digest: string): Promise<{ seconds: number; machineCpuPct: number }> {
  return timed(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = request(`${baseUrl}/api/v1/blobs/${digest}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/octet-stream', 'content-length': size },
        })
        req.on('response', (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => (res.statusCode === 201 || res.statusCode === 200 ? resolve() : reject(new Error(`upload answered ${res.statusCode}: ${Buffer.concat(chunks)}`))))
        })
        req.on('error', reject)
        pipeline(createReadStream(path, { highWaterMark: MiB }), req).catch(reject)
      }),
  )
}

/** GETs `urlPath`, hashing while writing to `target` as a client would; checks size and digest; resolves with the time taken. */
export async function downloadFile(baseUrl: string, urlPath: string, target: string, size: number, digest: string): Promise<{ seconds: number; machineCpuPct: number }> {
  const hash = createHash('sha256')
  let received = 0
  const timing = await timed(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = request(`${baseUrl}${urlPath}`, (res) => {
          if (res.statusCode !== 200) {
            res.resume()
            reject(new Error(`download answered ${res.statusCode}`))
            return
          }
          const hasher = new Transform({
            transform(chunk: Buffer, _encoding, done) {
              hash.update(chunk)
              received += chunk.length
              done(null, chunk)
            },
          })
          pipeline(res, hasher, createWriteStream(target, { highWaterMark: MiB })).then(resolve, reject)
        })
        req.on('error', reject)
        req.end()
      }),
  )
  const actual = `sha256:${hash.digest('hex')}`
  if (received !== size || actual !== digest) throw new Error(`download corrupt: ${received} bytes hashing to ${actual}, expected ${size} bytes, ${digest}`)
  return { seconds: timing.seconds, machineCpuPct: timing.machineCpuPct }
}
