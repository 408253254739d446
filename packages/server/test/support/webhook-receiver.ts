import { createServer, type IncomingMessage, type Server } from 'node:http'
import { once } from 'node:events'

/** One request the receiver got. */
export interface Receipt {
  path: string
  headers: IncomingMessage['headers']
  body: string
  json: any
}

/** How the receiver answers one request: a status (with optional headers) or 'hang' (never answers in time). */
export type Answer = number | { status: number; headers?: Record<string, string>; body?: string } | 'hang'

/**
 * A real HTTP server on loopback standing in for a webhook receiver. `answer` decides each reply (default 200); every
 * request is recorded before it is answered.
 */
export class WebhookReceiver {
  readonly receipts: Receipt[] = []
  answer: (receipt: Receipt, index: number) => Answer = () => 200
  private server: Server | undefined
  private readonly hanging = new Set<() => void>()
  url = ''

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        let json: unknown
        try {
          json = JSON.parse(body)
        } catch {
          json = undefined
        }
        const receipt: Receipt = { path: request.url ?? '', headers: request.headers, body, json }
        this.receipts.push(receipt)
        const answer = this.answer(receipt, this.receipts.length - 1)
        if (answer === 'hang') {
          const release = () => response.destroy()
          this.hanging.add(release)
          response.on('close', () => this.hanging.delete(release))
          return
        }
        const { status, headers, body: text } = typeof answer === 'number' ? { status: answer, headers: {}, body: `answered ${answer}` } : answer
        response.writeHead(status, { 'content-type': 'text/plain', ...headers })
        response.end(text ?? '')
      })
    })
    this.server.listen(0, '127.0.0.1')
    await once(this.server, 'listening')
    const address = this.server.address() as { port: number }
    this.url = `http://127.0.0.1:${address.port}`
    return this
  }

  async stop(): Promise<void> {
    for (const release of this.hanging) release()
    this.server?.closeAllConnections()
    await new Promise((resolve) => this.server?.close(resolve))
  }

  /** Receipts for a path (each webhook in a test gets a path of its own). */
  at(path: string): Receipt[] {
    return this.receipts.filter((r) => r.path === path)
  }
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs` with what it last saw. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
