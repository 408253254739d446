import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../../server/test/support/backends'
import { WebhookReceiver, waitFor } from '../../server/test/support/webhook-receiver'
import { verifySignature } from '../../server/src/domain/webhook-signature'
import { canonAt, type CanonRun } from './run-canon'

// The README's webhook and schedule commands, run as a user runs them, against a real receiver on loopback.

describe.each(backends)('canon webhooks and schedules (%s)', (backend) => {
  let server: TestServer
  let receiver: WebhookReceiver
  let canon: (...args: string[]) => Promise<CanonRun>

  beforeAll(async () => {
    server = await startTestServer(backend, { CANON_WEBHOOK_POLL_MS: '20' })
    receiver = await new WebhookReceiver().start()
    canon = canonAt(server.url)
  })
  afterAll(async () => {
    await server?.stop()
    await receiver?.stop()
  })

  const json = async (...args: string[]) => {
    const run = await canon('--json', ...args)
    expect(run.code, run.stderr).toBe(0)
    return JSON.parse(run.stdout)
  }

  it('subscribes, tests, lists deliveries, pauses, and fires a schedule', async () => {
    const created = await canon('webhooks', 'create', 'deploy-bot', `${receiver.url}/canon`, '--model', 'churn')
    expect(created.code, created.stderr).toBe(0)
    const secret = /\n {2}(whsec_\S+)\n/.exec(created.stdout)?.[1]
    const id = /^id:\s+(\S+)$/m.exec(created.stdout)?.[1]
    expect(secret && id, created.stdout).toBeTruthy()

    const tested = await canon('webhooks', 'test', id!)
    expect(tested.code, tested.stderr).toBe(0)
    expect(tested.stdout).toMatch(/^Test delivery \S+ succeeded: 200 in \d+ ms, answered 'answered 200'\.$/m)
    const receipt = receiver.at('/canon')[0]!
    expect(verifySignature(secret!, String(receipt.headers['x-canon-delivery-id']), String(receipt.headers['x-canon-timestamp']), receipt.body, String(receipt.headers['x-canon-signature']))).toBe(true)

    expect((await canon('models', 'create', 'churn')).code).toBe(0)
    await waitFor(() => receiver.at('/canon').some((r) => r.json.event === 'model.created'), 'model.created')
    const deliveries = await waitFor(async () => {
      const items = await json('webhooks', 'deliveries', id!)
      return items.length === 2 && items.every((d: { status: string }) => d.status === 'succeeded') && items
    }, 'both deliveries to succeed')
    expect(deliveries.map((d: { event: string }) => d.event).sort()).toEqual(['model.created', 'webhook.test'])
    expect((await canon('webhooks', 'deliveries', id!)).stdout).toMatch(/^DELIVERY\s+EVENT\s+STATUS\s+ATTEMPTS/)
    const testDelivery = deliveries.find((d: { event: string }) => d.event === 'webhook.test')
    expect((await canon('webhooks', 'redeliver', id!, testDelivery.id)).stdout).toBe(`Delivery ${testDelivery.id} is queued again (attempt 2).\n`)
    await waitFor(() => receiver.at('/canon').filter((r) => r.headers['x-canon-delivery-id'] === testDelivery.id).length === 2, 'the redelivery')
    const rotated = await canon('webhooks', 'rotate-secret', id!)
    expect(rotated.stdout).toMatch(/^ {2}whsec_\S+$/m)
    expect(rotated.stdout).not.toContain(secret)
    expect((await canon('webhooks', 'pause', id!)).stdout).toBe(`Webhook ${id} is paused.\n`)
    expect((await json('webhooks', 'list')).map((w: { status: string }) => w.status)).toEqual(['paused'])

    const scheduled = await canon('schedules', 'create', 'nightly-train', '0 3 * * *', '--timezone', 'Europe/Berlin', '--webhook', id!, '--payload', '{"pipeline": "churn-train"}')
    expect(scheduled.code, scheduled.stderr).toBe(0)
    expect(scheduled.stdout).toMatch(/^Schedule 'nightly-train' fires next at \d{4}-\d\d-\d\d 0[12]:00:00Z\.$/m)
    expect(await json('schedules', 'create', 'every-second', '* * * * * *', '--webhook', id!, '--payload', '{"pipeline": "smoke"}')).toMatchObject({ name: 'every-second', status: 'active' })
    await waitFor(async () => (await json('schedules', 'history', 'every-second')).length >= 1, 'a fire')
    expect((await canon('schedules', 'history', 'every-second')).stdout).toMatch(/^SCHEDULED FOR\s+FIRED AT\s+DELIVERY\s+STATUS/)
    expect((await canon('schedules', 'pause', 'every-second')).stdout).toBe("Schedule 'every-second' is paused.\n")
    expect((await canon('schedules', 'pause', 'nightly-train')).code).toBe(0)
    const fired = receiver.at('/canon').find((r) => r.json.event === 'schedule.fired')
    expect(fired?.json.data).toMatchObject({ schedule: 'every-second', payload: { pipeline: 'smoke' } })

    const bad = await canon('schedules', 'create', 'broken', 'every night', '--webhook', id!)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^canon: Cannot use cron 'every night'.*\(INVALID_INPUT\)\n$/)
    const badPayload = await canon('schedules', 'create', 'broken', '0 3 * * *', '--webhook', id!, '--payload', '[1]')
    expect(badPayload.code).toBe(2)
  }, 180_000)
})
