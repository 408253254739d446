import { describe, expect, it } from 'vitest'
import { backends } from '../support/backends'
import { ARTIFACTS, expectMlflowError, itAnsweredLikeMlflowThroughout, sha256, useCanonServer } from './mlflow-http'

const weights = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31) % 256))

for (const backend of backends) {
  describe(`MLflow proxied artifacts (${backend})`, () => {
    const canon = useCanonServer(backend)
    const artifacts = () => canon.mlflow.artifacts

    describe('uploading and downloading', () => {
      it('stores a PUT of raw bytes of any content type and serves the same bytes back', async () => {
        for (const [path, type] of [
          ['1/run-a/artifacts/model/MLmodel', 'text/plain'],
          ['1/run-a/artifacts/model/model.pkl', 'application/octet-stream'],
          ['1/run-a/artifacts/plots/roc.png', 'image/png'],
        ] as const) {
          const uploaded = await artifacts().upload(path, path.endsWith('.pkl') ? weights : `contents of ${path}`, type)
          expect(uploaded.status).toBe(200)
          expect(uploaded.body).toEqual({})
        }
        const model = await artifacts().download('1/run-a/artifacts/model/model.pkl')
        expect(model.status).toBe(200)
        expect(sha256(model.bytes)).toBe(sha256(weights))
        expect((await artifacts().download('1/run-a/artifacts/model/MLmodel')).bytes.toString()).toBe('contents of 1/run-a/artifacts/model/MLmodel')
      })

      it('accepts an upload with no content type at all', async () => {
        const response = await canon.mlflow.send('PUT', `${ARTIFACTS}/artifacts/1/run-a/artifacts/untyped.bin`, { body: 'no type' })
        expect(response.status).toBe(200)
        expect((await artifacts().download('1/run-a/artifacts/untyped.bin')).bytes.toString()).toBe('no type')
      })

      it('serves downloads as attachments named after the file, never sniffed', async () => {
        const model = await artifacts().download('1/run-a/artifacts/model/model.pkl')
        expect(model.headers.get('content-disposition')).toMatch(/^attachment;.*model\.pkl/)
        expect(model.headers.get('x-content-type-options')).toBe('nosniff')
        expect(model.headers.get('content-length')).toBe(String(weights.length))
      })

      it('overwrites a file uploaded to the same path', async () => {
        await artifacts().upload('1/run-a/artifacts/notes.txt', 'first')
        await artifacts().upload('1/run-a/artifacts/notes.txt', 'second')
        expect((await artifacts().download('1/run-a/artifacts/notes.txt')).bytes.toString()).toBe('second')
      })

      it('serves a byte range with 206 and Content-Range', async () => {
        const part = await artifacts().download('1/run-a/artifacts/model/model.pkl', { range: 'bytes=100-199' })
        expect(part.status).toBe(206)
        expect(part.headers.get('content-range')).toBe(`bytes 100-199/${weights.length}`)
        expect(part.bytes.equals(weights.subarray(100, 200))).toBe(true)
        const tail = await artifacts().download('1/run-a/artifacts/model/model.pkl', { range: 'bytes=-10' })
        expect(tail.status).toBe(206)
        expect(tail.bytes.equals(weights.subarray(-10))).toBe(true)
      })

      it('answers a range past the end with 416', async () => {
        const beyond = await artifacts().download('1/run-a/artifacts/model/model.pkl', { range: `bytes=${weights.length + 10}-` })
        expect(beyond.status).toBe(416)
        expect(beyond.headers.get('content-range')).toBe(`bytes */${weights.length}`)
      })

      it('answers a file that does not exist with 404 RESOURCE_DOES_NOT_EXIST rather than MLflow’s 500', async () => {
        const missing = await artifacts().download('1/run-a/artifacts/nothing.txt')
        expect(missing.status).toBe(404)
        expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST')
        expect((await artifacts().download('1/run-a/artifacts/model')).status).toBe(404)
      })

      it('keeps unusual but safe file names intact', async () => {
        const path = '1/run-a/artifacts/odd names/a file with spaces & ü.txt'
        expect((await artifacts().upload(path, 'odd')).status).toBe(200)
        expect((await artifacts().download(path)).bytes.toString()).toBe('odd')
        expect((await artifacts().list('1/run-a/artifacts/odd names')).body).toEqual({ files: [{ path: 'a file with spaces & ü.txt', is_dir: false, file_size: 3 }] })
      })
    })

    describe('listing', () => {
      it('lists the immediate children of a directory by basename, sorted, with directories marked', async () => {
        await artifacts().upload('1/run-a/artifacts/model/empty.txt', '')
        const listed = await artifacts().list('1/run-a/artifacts/model')
        expect(listed.status).toBe(200)
        expect(listed.body).toEqual({
          files: [
            { path: 'MLmodel', is_dir: false, file_size: Buffer.byteLength('contents of 1/run-a/artifacts/model/MLmodel') },
            { path: 'empty.txt', is_dir: false },
            { path: 'model.pkl', is_dir: false, file_size: weights.length },
          ],
        })
        const run = await artifacts().list('1/run-a/artifacts')
        expect(run.body.files.filter((f: any) => f.is_dir).map((f: any) => f.path)).toEqual(['model', 'odd names', 'plots'])
        for (const file of run.body.files) expect(file).toHaveProperty('is_dir')
      })

      it('lists a file path or a path that does not exist as {}, which MLflow’s client reads as “a file”', async () => {
        expect((await artifacts().list('1/run-a/artifacts/model/model.pkl')).body).toEqual({})
        expect((await artifacts().list('9/nowhere')).body).toEqual({})
      })

      it('lists the root when no path is given', async () => {
        const root = await artifacts().list()
        expect(root.status).toBe(200)
        expect(root.body.files).toEqual(expect.arrayContaining([{ path: '1', is_dir: true }]))
      })

      it('answers the listing on the /ajax-api prefix too', async () => {
        expect((await artifacts().ajax.list('1/run-a/artifacts/plots')).body).toEqual({ files: [{ path: 'roc.png', is_dir: false, file_size: Buffer.byteLength('contents of 1/run-a/artifacts/plots/roc.png') }] })
        expect((await artifacts().ajax.upload('1/run-a/artifacts/ui.txt', 'from the UI')).status).toBe(200)
        expect((await artifacts().ajax.download('1/run-a/artifacts/ui.txt')).bytes.toString()).toBe('from the UI')
      })
    })

    describe('deleting', () => {
      it('deletes a file, which then downloads as 404 and leaves the listing', async () => {
        await artifacts().upload('2/run-b/artifacts/a.txt', 'a')
        await artifacts().upload('2/run-b/artifacts/b.txt', 'b')
        const deleted = await artifacts().remove('2/run-b/artifacts/a.txt')
        expect(deleted.status).toBe(200)
        expect(deleted.body).toEqual({})
        expect((await artifacts().download('2/run-b/artifacts/a.txt')).status).toBe(404)
        expect((await artifacts().list('2/run-b/artifacts')).body).toEqual({ files: [{ path: 'b.txt', is_dir: false, file_size: 1 }] })
      })

      it('deletes a directory with everything under it, and nothing beside it', async () => {
        await artifacts().upload('3/run-c/artifacts/model/MLmodel', 'm')
        await artifacts().upload('3/run-c/artifacts/model/data/w.bin', 'w')
        await artifacts().upload('3/run-c/artifacts/model-2/MLmodel', 'kept')
        expect((await artifacts().remove('3/run-c/artifacts/model')).status).toBe(200)
        expect((await artifacts().list('3/run-c/artifacts')).body).toEqual({ files: [{ path: 'model-2', is_dir: true }] })
        expect((await artifacts().download('3/run-c/artifacts/model/data/w.bin')).status).toBe(404)
        expect((await artifacts().download('3/run-c/artifacts/model-2/MLmodel')).bytes.toString()).toBe('kept')
      })

      it('treats deleting something that is not there as done', async () => {
        const deleted = await artifacts().remove('3/run-c/artifacts/never-there')
        expect(deleted.status).toBe(200)
        expect(deleted.body).toEqual({})
      })
    })

    describe('unsafe paths', () => {
      it.each([
        ['PUT', '/artifacts/1/run-a/../../escape.txt'],
        ['GET', '/artifacts/1/run-a/artifacts/../../../etc/passwd'],
        ['DELETE', '/artifacts/1/run-a/artifacts/..'],
        ['GET', '/artifacts/1/run-a/artifacts/%2E%2E/%2E%2E/x'],
        ['PUT', '/artifacts/1/run-a/artifacts/back%5Cslash.txt'],
        ['PUT', '/artifacts/1/run-a/artifacts/hash%23tag.txt'],
        ['GET', '/artifacts?path=1/../..'],
        ['GET', '/artifacts?path=%2Fetc'],
      ])('refuses %s %s with 400 INVALID_PARAMETER_VALUE', async (method, path) => {
        const response = await canon.mlflow.rawPath(method, ARTIFACTS + path)
        expect({ status: response.status, error_code: response.body?.error_code }).toEqual({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' })
      })
    })

    describe('multipart uploads', () => {
      /** MLflow's client: create with the local file path and part count, PUT each part to its URL, complete with the ETags. */
      async function createUpload(directory: string, numParts: number) {
        const created = await canon.mlflow.send('POST', `${ARTIFACTS}/mpu/create/${directory}`, { json: { path: '/home/ana/big.bin', num_parts: numParts } })
        expect(created.status).toBe(200)
        return created.body as { upload_id: string; credentials: { url: string; part_number: number }[] }
      }

      it('joins parts uploaded concurrently to the URLs it hands out, in part order, into one downloadable file', async () => {
        const parts = [Buffer.alloc(5000, 1), Buffer.alloc(5000, 2), Buffer.from('tail')]
        const upload = await createUpload('4/run-d/artifacts/data', parts.length)
        expect(upload.upload_id).toEqual(expect.any(String))
        expect(upload.credentials.map((c) => c.part_number)).toEqual([1, 2, 3])
        const etags = await Promise.all(
          upload.credentials.map(async (credential, i) => {
            const put = await fetch(credential.url, { method: 'PUT', body: parts[i] })
            expect(put.status).toBe(200)
            return { part_number: credential.part_number, etag: put.headers.get('etag') ?? '', url: credential.url }
          }),
        )
        const completed = await canon.mlflow.send('POST', `${ARTIFACTS}/mpu/complete/4/run-d/artifacts/data`, {
          json: { path: '/home/ana/big.bin', upload_id: upload.upload_id, parts: [...etags].reverse() },
        })
        expect(completed.status).toBe(200)
        expect(completed.body).toEqual({})
        const whole = Buffer.concat(parts)
        const downloaded = await artifacts().download('4/run-d/artifacts/data/big.bin')
        expect(sha256(downloaded.bytes)).toBe(sha256(whole))
        expect((await artifacts().list('4/run-d/artifacts/data')).body).toEqual({ files: [{ path: 'big.bin', is_dir: false, file_size: whole.length }] })
      })

      it('refuses to complete with a part that was never uploaded, or into a path that climbs out', async () => {
        const upload = await createUpload('4/run-d/artifacts/data', 1)
        const never = { part_number: 1, etag: `"${sha256('never uploaded')}"`, url: upload.credentials[0]!.url }
        expectMlflowError(await canon.mlflow.send('POST', `${ARTIFACTS}/mpu/complete/4/run-d/artifacts/data`, { json: { path: 'x.bin', upload_id: upload.upload_id, parts: [never] } }), 400, 'INVALID_PARAMETER_VALUE')
        const put = await fetch(upload.credentials[0]!.url, { method: 'PUT', body: 'part' })
        const part = { part_number: 1, etag: put.headers.get('etag'), url: upload.credentials[0]!.url }
        expectMlflowError(await canon.mlflow.send('POST', `${ARTIFACTS}/mpu/complete/4/run-d/artifacts/data`, { json: { path: '/tmp/..', upload_id: upload.upload_id, parts: [part] } }), 400, 'INVALID_PARAMETER_VALUE')
        expectMlflowError(await canon.mlflow.send('POST', `${ARTIFACTS}/mpu/complete/4/run-d/artifacts/data`, { json: { path: 'x.bin', upload_id: upload.upload_id, parts: [] } }), 400, 'INVALID_PARAMETER_VALUE')
        expect((await artifacts().download('4/run-d/artifacts/data/x.bin')).status).toBe(404)
      })

      it('aborts an upload with {}', async () => {
        const upload = await createUpload('4/run-d/artifacts/data', 2)
        const aborted = await canon.mlflow.send('POST', `${ARTIFACTS}/mpu/abort/4/run-d/artifacts/data`, { json: { path: '/home/ana/big.bin', upload_id: upload.upload_id } })
        expect(aborted.status).toBe(200)
        expect(aborted.body).toEqual({})
      })

      it('refuses a create without the file path or with a part count outside 1 to 10000', async () => {
        for (const json of [{ num_parts: 2 }, { path: 'a.bin', num_parts: 0 }, { path: 'a.bin', num_parts: 10_001 }]) {
          expectMlflowError(await canon.mlflow.send('POST', `${ARTIFACTS}/mpu/create/4/run-d/artifacts`, { json }), 400, 'INVALID_PARAMETER_VALUE')
        }
      })
    })

    describe('health and version', () => {
      it('answers /health with OK and /version with the MLflow version it speaks, as plain text', async () => {
        const health = await canon.mlflow.send('GET', '/health')
        expect({ status: health.status, body: health.body }).toEqual({ status: 200, body: 'OK' })
        const version = await canon.mlflow.send('GET', '/version')
        expect({ status: version.status, body: version.body }).toEqual({ status: 200, body: '2.17.0' })
      })
    })

    itAnsweredLikeMlflowThroughout(canon)
  })
}
