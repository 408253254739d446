import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

// Signatures follow the Standard Webhooks scheme MLflow also uses: HMAC-SHA256 over `<delivery id>.<unix seconds>.<body>`,
// sent as `v1,<base64>`.

export function signPayload(secret: string, deliveryId: string, timestamp: string, body: string): string {
  return `v1,${createHmac('sha256', secret).update(`${deliveryId}.${timestamp}.${body}`).digest('base64')}`
}

/** Checks a `v1,<base64>` signature in constant time (receivers can copy this). */
export function verifySignature(secret: string, deliveryId: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signPayload(secret, deliveryId, timestamp, body))
  const given = Buffer.from(signature)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}
