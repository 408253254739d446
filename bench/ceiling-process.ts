// Child-process entry: the ceiling, a bare node:http server answering one fixed JSON body to every request.
import { createServer } from 'node:http'

const body = Buffer.from(process.env.BENCH_CEILING_BODY ?? '{"status":"ok"}')

const server = createServer((request, response) => {
  request.resume()
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length })
    response.end(body)
  })
})

server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  process.send?.({ url: `http://127.0.0.1:${port}` })
})

process.on('SIGTERM', () => server.close(() => process.exit(0)))
