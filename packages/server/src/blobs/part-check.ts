import { createHash } from 'node:crypto'
import { CanonError } from '../domain/errors'
import { hashingCounter } from './hashing-counter'

/** Hashes and counts a part as it streams; `verify` refuses it unless it is exactly the promised bytes. */
export function partCheck(part: number, expect: { digest: string; size: number }) {
  const counter = hashingCounter(createHash('sha256'), expect.size, () => wrongSize(part, expect.size, `more than ${expect.size}`))
  return {
    transform: counter.transform,
    verify() {
      if (counter.size !== expect.size) throw wrongSize(part, expect.size, String(counter.size))
      const actual = `sha256:${counter.digestHex()}`
      if (actual !== expect.digest) {
        throw new CanonError('DIGEST_MISMATCH', `Part ${part} hashes to ${actual}, not ${expect.digest}; send the part again.`, { part, expected: expect.digest, actual })
      }
    },
  }
}

function wrongSize(part: number, expected: number, got: string): CanonError {
  return new CanonError('INVALID_PART', `Part ${part} must be exactly ${expected} bytes (the session's part size, or the remainder for the last part); got ${got}.`, { part, expectedSize: expected })
}
