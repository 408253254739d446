import { Type, type Static } from 'typebox'
import { DIGEST_PATTERN } from './limits'
import { TimestampSchema } from './schemas'

const MiB = 1024 * 1024

/** Resumable uploads: a blob sent as numbered parts of one fixed size (the last part holds the remainder). */
export const UploadLimits = {
  minPartBytes: 64 * 1024,
  maxPartBytes: 1024 * MiB,
  maxParts: 10_000,
  /** the part size a client gets when it does not ask for one (grown when the blob would need more parts) */
  defaultPartBytes: 16 * MiB,
} as const

/** The request header that carries a part's sha256; the server refuses a part whose bytes hash otherwise. */
export const PART_DIGEST_HEADER = 'x-canon-part-digest'

export const CreateUploadBody = Type.Object(
  {
    digest: Type.String({ pattern: DIGEST_PATTERN, description: 'sha256 of the whole blob' }),
    size: Type.Integer({ minimum: 1, description: 'length of the whole blob in bytes' }),
    partSize: Type.Optional(Type.Integer({ minimum: UploadLimits.minPartBytes, maximum: UploadLimits.maxPartBytes, description: 'bytes per part (the last part holds the rest)' })),
  },
  { additionalProperties: false },
)

export const UploadPartSchema = Type.Object({ number: Type.Integer(), size: Type.Integer(), digest: Type.String() })

export const UploadSessionSchema = Type.Object({
  id: Type.String(),
  digest: Type.String(),
  size: Type.Integer(),
  partSize: Type.Integer(),
  partCount: Type.Integer(),
  /** parts received and verified so far, by number; a resuming client sends only the others */
  parts: Type.Array(UploadPartSchema),
  bytesReceived: Type.Integer(),
  createdAt: TimestampSchema,
  /** an upload that receives nothing until then is abandoned and removed */
  expiresAt: TimestampSchema,
})

export type CreateUploadInput = Static<typeof CreateUploadBody>
export type UploadPart = Static<typeof UploadPartSchema>
export type UploadSession = Static<typeof UploadSessionSchema>
