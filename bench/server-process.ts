// Child-process entry: runs one Canon server (config from CANON_* env, port 0) and reports its URL over IPC.
import { loadConfig, startServer } from '@canon/server'

const config = loadConfig({ port: 0 })
const server = await startServer(config)
process.send?.({ url: server.url })

// The bench asks for a breakdown of memory at the end of each phase, to explain the RSS it samples.
process.on('message', (message: { type?: string }) => {
  if (message?.type === 'memory') process.send?.({ memory: process.memoryUsage() })
})

process.on('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
})
