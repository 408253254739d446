import { it } from 'vitest'
import { startTestServer } from '/work/main/packages/server/test/support/backends'
it('probe', async () => {
  const s = await startTestServer('sqlite')
  const doc = await (await fetch(s.url + '/api/v1/openapi.json')).json()
  for (const [p, ops] of Object.entries<any>(doc.paths)) console.log(p, Object.keys(ops).join(','))
  await s.stop()
})
