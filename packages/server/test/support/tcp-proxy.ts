import { createServer, connect, type AddressInfo, type Socket } from 'node:net'

export interface TcpProxy {
  /** http://127.0.0.1:<port> of the proxy */
  url: string
  /** bytes clients sent through the proxy so far */
  readonly bytesUp: number
  /** cuts the connection carrying the byte that takes the upstream total past `total`, once */
  dropAt(total: number): void
  /** resolves when an armed drop has happened */
  dropped(): Promise<void>
  /** stops forwarding request bytes past `total` (the connection hangs, as on a dead network), until resumed */
  stallAt(total: number): Promise<void>
  /** forwards again (bytes sent during the stall are lost) */
  unstall(): void
  close(): Promise<void>
}

/** A loopback TCP proxy in front of a test server that counts request bytes and can cut a connection mid-request. */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(target)
  const sockets = new Set<Socket>()
  let bytesUp = 0
  let dropAt: number | undefined
  let onDropped: () => void = () => {}
  let droppedPromise = Promise.resolve()
  let stallAt: number | undefined
  let stalled = false
  let onStalled: () => void = () => {}
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname)
    sockets.add(client).add(upstream)
    const forget = () => (sockets.delete(client), sockets.delete(upstream))
    client.on('data', (chunk: Buffer) => {
      if (stalled) return
      if (stallAt !== undefined && bytesUp + chunk.length > stallAt) {
        const keep = stallAt - bytesUp
        bytesUp += keep
        stallAt = undefined
        stalled = true
        upstream.write(chunk.subarray(0, keep))
        onStalled()
        return
      }
      if (dropAt !== undefined && bytesUp + chunk.length > dropAt) {
        const keep = dropAt - bytesUp
        bytesUp += keep
        dropAt = undefined
        upstream.write(chunk.subarray(0, keep), () => {
          client.destroy()
          upstream.destroy()
          onDropped()
        })
        return
      }
      bytesUp += chunk.length
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => client.write(chunk))
    client.on('close', () => (upstream.destroy(), forget()))
    upstream.on('close', () => (client.destroy(), forget()))
    client.on('error', () => {})
    upstream.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get bytesUp() {
      return bytesUp
    },
    dropAt(total) {
      dropAt = total
      droppedPromise = new Promise((resolve) => (onDropped = resolve))
    },
    dropped: () => droppedPromise,
    stallAt(total) {
      stallAt = total
      return new Promise((resolve) => (onStalled = resolve))
    },
    unstall() {
      stalled = false
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
