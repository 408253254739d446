import { InvalidArgumentError, type Command } from 'commander'
import type { Schedule, Webhook, WebhookDelivery } from '@canon/sdk'
import { contextOf } from '../context'
import { fields, table, time, truncate } from '../format'
import { oneOf, positiveInteger, repeatable } from '../parse'

// Webhooks on registry events, and cron schedules that fire them (admins).

function webhookDetails(w: Webhook): string {
  return fields([
    ['id', w.id],
    ['name', w.name],
    ['url', w.url],
    ['events', w.events.join(', ')],
    ['model', w.model ?? 'every model'],
    ['status', w.status],
    ['format', w.format],
    ['description', w.description],
    ['created', `${time(w.createdAt)} by ${w.createdBy}`],
  ])
}

const lastAttempt = (d: WebhookDelivery) => {
  const last = d.attemptLog.at(-1)
  return last ? (last.statusCode !== null ? String(last.statusCode) : truncate(last.error ?? '', 40)) : '-'
}

function deliveryTable(items: WebhookDelivery[]): string {
  return table(
    ['DELIVERY', 'EVENT', 'STATUS', 'ATTEMPTS', 'LAST ANSWER', 'CREATED', 'NEXT ATTEMPT'],
    items.map((d) => [d.id, d.event, d.status, String(d.attempts), lastAttempt(d), time(d.createdAt), d.nextAttemptAt ? time(d.nextAttemptAt) : '']),
  )
}

function scheduleTable(items: Schedule[]): string {
  return table(
    ['NAME', 'CRON', 'TIMEZONE', 'STATUS', 'NEXT FIRE', 'LAST FIRED', 'WEBHOOK'],
    items.map((s) => [s.name, s.cron, s.timezone, s.status, s.nextFireAt ? time(s.nextFireAt) : '-', s.lastFiredAt ? time(s.lastFiredAt) : '-', s.webhookId]),
  )
}

function jsonObject(value: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    throw new InvalidArgumentError(`'${truncate(value, 40)}' is not JSON.`)
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('the payload must be a JSON object, e.g. \'{"pipeline":"train"}\'.')
  return parsed as Record<string, unknown>
}

export function registerWebhookCommands(program: Command): void {
  const webhooks = program.command('webhooks').description('signed HTTP calls on registry events, retried with backoff (admins)')

  webhooks
    .command('create')
    .description("subscribe a URL to events; prints the signing secret once")
    .argument('<name>', 'a name for people')
    .argument('<url>', 'http(s) URL to POST events to')
    .option('-e, --event <event>', "an event, e.g. version.created or version.stage_changed (repeatable; default '*': every event)", repeatable)
    .option('-m, --model <model>', "only this model's events")
    .option('--secret <secret>', 'the HMAC key (16+ characters); generated when left out')
    .option('-d, --description <text>', 'what the receiver does')
    .action(async (name: string, url: string, options: { event?: string[]; model?: string; secret?: string; description?: string }, command: Command) => {
      const ctx = contextOf(command)
      const created = await ctx.canon.webhooks.create({ name, url, events: options.event ?? ['*'], model: options.model, secret: options.secret, description: options.description })
      if (ctx.json) ctx.printJson(created)
      else ctx.out(`${webhookDetails(created)}\nSigning secret (shown only now; receivers check X-Canon-Signature with it):\n\n  ${created.secret}\n\n`)
    })

  webhooks
    .command('list')
    .description('every webhook')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const items = await ctx.canon.webhooks.list()
      if (ctx.json) ctx.printJson(items)
      else ctx.out(items.length === 0 ? 'No webhooks.\n' : table(['ID', 'NAME', 'STATUS', 'EVENTS', 'MODEL', 'URL'], items.map((w) => [w.id, w.name, w.status, truncate(w.events.join(','), 40), w.model ?? '*', w.url])))
    })

  webhooks
    .command('show')
    .description('a webhook (never its secret)')
    .argument('<id>', 'webhook id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const found = await ctx.canon.webhooks.get(id)
      if (ctx.json) ctx.printJson(found)
      else ctx.out(webhookDetails(found))
    })

  for (const [verb, status, what] of [
    ['pause', 'paused', 'send it no new events'],
    ['resume', 'active', 'send it events again'],
  ] as const) {
    webhooks
      .command(verb)
      .description(what)
      .argument('<id>', 'webhook id')
      .action(async (id: string, _options: unknown, command: Command) => {
        const ctx = contextOf(command)
        const updated = await ctx.canon.webhooks.update(id, { status })
        if (ctx.json) ctx.printJson(updated)
        else ctx.out(`Webhook ${id} is ${updated.status}.\n`)
      })
  }

  webhooks
    .command('rotate-secret')
    .description('replace the signing secret; prints the new one once')
    .argument('<id>', 'webhook id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const updated = await ctx.canon.webhooks.update(id, { rotateSecret: true })
      if (ctx.json) ctx.printJson(updated)
      else ctx.out(`New signing secret for ${id} (shown only now):\n\n  ${updated.secret}\n\n`)
    })

  webhooks
    .command('delete')
    .description('delete a webhook and its delivery history')
    .argument('<id>', 'webhook id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      await ctx.canon.webhooks.delete(id)
      if (ctx.json) ctx.printJson({ deleted: id })
      else ctx.out(`Webhook ${id} is deleted.\n`)
    })

  webhooks
    .command('deliveries')
    .description('deliveries, newest first, with their attempts (--json shows every attempt)')
    .argument('<id>', 'webhook id')
    .option('--status <status>', 'pending, sending, succeeded or failed', oneOf(['pending', 'sending', 'succeeded', 'failed'] as const))
    .option('--limit <n>', 'how many (default 50)', positiveInteger)
    .action(async (id: string, options: { status?: WebhookDelivery['status']; limit?: number }, command: Command) => {
      const ctx = contextOf(command)
      const items = await ctx.canon.webhooks.deliveries(id, options)
      if (ctx.json) ctx.printJson(items)
      else ctx.out(items.length === 0 ? 'No deliveries.\n' : deliveryTable(items))
    })

  webhooks
    .command('redeliver')
    .description('send a delivery that succeeded or failed again (same id and body)')
    .argument('<id>', 'webhook id')
    .argument('<delivery>', 'delivery id')
    .action(async (id: string, delivery: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const queued = await ctx.canon.webhooks.redeliver(id, delivery)
      if (ctx.json) ctx.printJson(queued)
      else ctx.out(`Delivery ${delivery} is queued again (attempt ${queued.attempts + 1}).\n`)
    })

  webhooks
    .command('test')
    .description("send a signed 'webhook.test' event now and show what the receiver answered")
    .argument('<id>', 'webhook id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const delivery = await ctx.canon.webhooks.test(id)
      if (ctx.json) ctx.printJson(delivery)
      else {
        const attempt = delivery.attemptLog[0]
        ctx.out(`Test delivery ${delivery.id} ${delivery.status}: ${attempt?.statusCode ?? attempt?.error ?? '-'} in ${attempt?.durationMs ?? 0} ms${attempt?.response ? `, answered '${truncate(attempt.response, 60)}'` : ''}.\n`)
      }
      if (delivery.status !== 'succeeded') process.exitCode = 1
    })

  registerScheduleCommands(program)
}

function registerScheduleCommands(program: Command): void {
  const schedules = program.command('schedules').description('cron schedules that fire a webhook with a fixed payload, e.g. to start training (admins)')

  schedules
    .command('create')
    .description("fire a webhook on a cron schedule, e.g. '0 3 * * *' (03:00 daily); 6 fields put seconds first")
    .argument('<name>', 'schedule name: letters, digits, _ . -')
    .argument('<cron>', 'cron expression')
    .requiredOption('-w, --webhook <id>', 'the webhook to fire')
    .option('-p, --payload <json>', 'the JSON object each fire sends', jsonObject)
    .option('--timezone <tz>', "IANA time zone the expression is read in (default 'UTC')")
    .option('-d, --description <text>', 'what it starts')
    .action(async (name: string, cron: string, options: { webhook: string; payload?: Record<string, unknown>; timezone?: string; description?: string }, command: Command) => {
      const ctx = contextOf(command)
      const created = await ctx.canon.schedules.create({ name, cron, webhookId: options.webhook, payload: options.payload, timezone: options.timezone, description: options.description })
      if (ctx.json) ctx.printJson(created)
      else ctx.out(`Schedule '${name}' fires next at ${created.nextFireAt ? time(created.nextFireAt) : 'never'}.\n`)
    })

  schedules
    .command('list')
    .description('every schedule with its next fire')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const items = await ctx.canon.schedules.list()
      if (ctx.json) ctx.printJson(items)
      else ctx.out(items.length === 0 ? 'No schedules.\n' : scheduleTable(items))
    })

  for (const [verb, what] of [
    ['pause', 'stop firing until resumed'],
    ['resume', 'fire again from the next tick (missed ticks are not made up)'],
  ] as const) {
    schedules
      .command(verb)
      .description(what)
      .argument('<name>', 'schedule name')
      .action(async (name: string, _options: unknown, command: Command) => {
        const ctx = contextOf(command)
        const updated = await ctx.canon.schedules[verb](name)
        if (ctx.json) ctx.printJson(updated)
        else ctx.out(`Schedule '${name}' is ${updated.status}${updated.nextFireAt ? `; next fire at ${time(updated.nextFireAt)}` : ''}.\n`)
      })
  }

  schedules
    .command('delete')
    .description('delete a schedule and its history')
    .argument('<name>', 'schedule name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      await ctx.canon.schedules.delete(name)
      if (ctx.json) ctx.printJson({ deleted: name })
      else ctx.out(`Schedule '${name}' is deleted.\n`)
    })

  schedules
    .command('history')
    .description('the fires of a schedule, newest first, with how each delivery went')
    .argument('<name>', 'schedule name')
    .option('--limit <n>', 'how many (default 50)', positiveInteger)
    .action(async (name: string, options: { limit?: number }, command: Command) => {
      const ctx = contextOf(command)
      const fires = await ctx.canon.schedules.fires(name, options.limit)
      if (ctx.json) ctx.printJson(fires)
      else ctx.out(fires.length === 0 ? 'No fires yet.\n' : table(['SCHEDULED FOR', 'FIRED AT', 'DELIVERY', 'STATUS'], fires.map((f) => [time(f.scheduledFor), time(f.firedAt), f.deliveryId, f.deliveryStatus ?? 'pruned'])))
    })
}
