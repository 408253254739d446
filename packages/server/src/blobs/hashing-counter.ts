import type { Hash } from 'node:crypto'
import { CanonError } from '../domain/errors'

/** A pass-through stage that hashes and counts bytes, and stops the upload once it passes `maxBytes`. */
export function hashingCounter(hash: Hash, maxBytes?: number, tooLarge?: () => Error) {
  const state = { size: 0 }
  return {
    get size() {
      return state.size
    },
    digestHex: () => hash.digest('hex'),
    transform: async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        state.size += chunk.length
        if (maxBytes !== undefined && state.size > maxBytes) {
          if (tooLarge) throw tooLarge()
          throw new CanonError('PAYLOAD_TOO_LARGE', `The upload is larger than the ${maxBytes}-byte limit (CANON_MAX_BLOB_BYTES).`, { maxBytes })
        }
        hash.update(chunk)
        yield chunk
      }
    },
  }
}
