import { UploadLimits } from '@canon/api'
import { fixture, NEVER_UPLOADED, WEIGHTS } from './fixtures'
import { text, type BadRequest, type RouteTable } from './cases'

// An id no upload has: every route on it answers UPLOAD_NOT_FOUND.
const NO_SUCH_UPLOAD = '00000000-0000-4000-8000-000000000000'
const uploads = '/api/v1/uploads'
const create = (behaviour: string, json: unknown, status = 400, code: BadRequest['code'] = 'INVALID_INPUT'): BadRequest => ({ behaviour, method: 'POST', path: uploads, json, status, code })
const onUpload = (method: string, suffix = '') => (behaviour: string, id: string, status: number, code: BadRequest['code']): BadRequest => ({ behaviour, method, path: `${uploads}/${id}${suffix}`, status, code })
const missing = (method: string, suffix = '') => [
  onUpload(method, suffix)('answers UPLOAD_NOT_FOUND for an upload that does not exist', NO_SUCH_UPLOAD, 404, 'UPLOAD_NOT_FOUND'),
  onUpload(method, suffix)('answers UPLOAD_NOT_FOUND for an id that is not an upload id', 'not-an-upload', 404, 'UPLOAD_NOT_FOUND'),
  onUpload(method, suffix)('rejects an id longer than 100 characters', text(101, 'a'), 400, 'INVALID_INPUT'),
]
const part = (behaviour: string, number: string, status: number, code: BadRequest['code']): BadRequest => ({
  behaviour,
  method: 'PUT',
  path: `${uploads}/${NO_SUCH_UPLOAD}/parts/${number}`,
  raw: WEIGHTS,
  contentType: 'application/octet-stream',
  headers: { 'x-canon-part-digest': fixture.weightsDigest },
  status,
  code,
})

/** Resumable uploads; refusals that need an open session (wrong part size or digest, completing early) are in uploads.test.ts. */
export const uploadCases: RouteTable = {
  'POST /api/v1/uploads': {
    params: {},
    body: { digest: NEVER_UPLOADED, size: 10 },
    cases: [
      create('rejects a malformed digest', { digest: 'sha256:xyz', size: 10 }, 400, 'INVALID_DIGEST'),
      create('rejects a digest of another algorithm', { digest: `md5:${'a'.repeat(32)}`, size: 10 }, 400, 'INVALID_DIGEST'),
      create('rejects a size of 0 (send an empty blob with PUT /blobs)', { digest: NEVER_UPLOADED, size: 0 }),
      create('rejects a fractional size', { digest: NEVER_UPLOADED, size: 1.5 }),
      create('rejects a size given as a string', { digest: NEVER_UPLOADED, size: '10' }),
      create('rejects a blob larger than CANON_MAX_BLOB_BYTES', { digest: NEVER_UPLOADED, size: 2 * 1024 ** 4 }, 413, 'PAYLOAD_TOO_LARGE'),
      create(`rejects parts smaller than ${UploadLimits.minPartBytes} bytes`, { digest: NEVER_UPLOADED, size: 10, partSize: UploadLimits.minPartBytes - 1 }),
      create(`rejects parts larger than ${UploadLimits.maxPartBytes} bytes`, { digest: NEVER_UPLOADED, size: 10, partSize: UploadLimits.maxPartBytes + 1 }),
      create(`rejects more than ${UploadLimits.maxParts} parts`, { digest: NEVER_UPLOADED, size: (UploadLimits.maxParts + 1) * UploadLimits.minPartBytes, partSize: UploadLimits.minPartBytes }),
    ],
  },
  'GET /api/v1/uploads/{upload}': { params: { upload: NO_SUCH_UPLOAD }, cases: missing('GET') },
  'DELETE /api/v1/uploads/{upload}': { params: { upload: NO_SUCH_UPLOAD }, cases: missing('DELETE') },
  'POST /api/v1/uploads/{upload}/complete': { params: { upload: NO_SUCH_UPLOAD }, cases: missing('POST', '/complete') },
  'PUT /api/v1/uploads/{upload}/parts/{number}': {
    params: { upload: NO_SUCH_UPLOAD, number: '1' },
    cases: [
      part('answers UPLOAD_NOT_FOUND for an upload that does not exist', '1', 404, 'UPLOAD_NOT_FOUND'),
      part('rejects part number 0', '0', 400, 'INVALID_INPUT'),
      part('rejects a part number that is not a number', 'first', 400, 'INVALID_INPUT'),
      part('rejects a part number past 100000', '100001', 400, 'INVALID_INPUT'),
    ],
  },
}
