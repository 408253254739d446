import { expect } from 'vitest'
import { sha256, type Wire } from './wire'

// The registry every bad request is thrown at. Nothing a case sends may change it.

export const WEIGHTS = Buffer.from('canon weights 0123456789abcdef\n') // 31 bytes
export const CONFIG = Buffer.from('{"layers": 3}\n')
export const NEVER_UPLOADED = sha256('bytes nobody ever uploaded')

export const fixture = {
  /** a model with '/' in its name, one version with two files, a model tag, a version tag and an alias */
  model: 'bad-input/churn',
  modelTag: 'owner',
  version: 1,
  versionTag: 'dataset',
  alias: 'champion',
  weightsPath: 'weights/model.bin',
  weightsDigest: sha256(WEIGHTS),
  configPath: 'config.json',
  /** a model whose version 1 is in Production */
  live: 'bad-input/live',
  /** a model that exists only so renames and creates can collide with it */
  other: 'bad-input/other',
  missingModel: 'no-such-model',
  missingVersion: 999,
  missingAlias: 'no-such-alias',
  missingTag: 'no-such-tag',
  /** a user with a viewer grant on the model and one API token (the first token a fresh server issues: id 1) */
  user: 'bad-input-user',
  userGrant: { role: 'viewer', scope: 'bad-input/churn' },
  tokenId: 1,
  /** a second user whose token (id 2) is not the first user's to revoke */
  otherUser: 'bad-input-other',
  otherTokenId: 2,
  missingUser: 'no-such-user',
  missingTokenId: 999,
  /** a deployment of the live model's version 1 */
  deployment: 'bad-input-api',
  missingDeployment: 'no-such-deployment',
  missingRun: 'no-such-run',
  missingDataset: 'dataset://no-such-dataset/1',
} as const

/** Path segment for a model name: names may hold '/', which travels as %2F. */
export const m = (name: string) => encodeURIComponent(name)
export const MODEL = `/api/v1/models/${m(fixture.model)}`
export const VERSION = `${MODEL}/versions/${fixture.version}`

/** A manifest the server accepts: both files are uploaded before any case runs. */
export const validManifest = () => ({
  files: [
    { path: fixture.weightsPath, size: WEIGHTS.length, digest: fixture.weightsDigest },
    { path: fixture.configPath, size: CONFIG.length, digest: sha256(CONFIG) },
  ],
})

export async function seedRegistry(wire: Wire): Promise<void> {
  await wire.upload(WEIGHTS)
  await wire.upload(CONFIG)
  await wire.ok('POST', '/api/v1/models', { name: fixture.model, description: 'churn model', tags: { [fixture.modelTag]: 'ml-team' } })
  await wire.ok('POST', `${MODEL}/versions`, { ...validManifest(), description: 'first', tags: { [fixture.versionTag]: 'march' } })
  await wire.ok('PUT', `${MODEL}/aliases/${fixture.alias}`, { version: fixture.version })

  await wire.ok('POST', '/api/v1/models', { name: fixture.live })
  await wire.ok('POST', `/api/v1/models/${m(fixture.live)}/versions`, validManifest())
  await wire.ok('POST', `/api/v1/models/${m(fixture.live)}/versions/1/stage`, { stage: 'Production' })

  await wire.ok('POST', '/api/v1/models', { name: fixture.other, description: 'the other one' })
  await wire.ok('PUT', `/api/v1/deployments/${fixture.deployment}`, { model: fixture.live, environment: 'prod', split: { '1': 100 } })

  for (const [user, tokenId] of [[fixture.user, fixture.tokenId], [fixture.otherUser, fixture.otherTokenId]] as const) {
    await wire.ok('POST', '/api/v1/users', { name: user })
    const token = await wire.ok<{ id: number }>('POST', `/api/v1/users/${user}/tokens`, { name: 'laptop' })
    expect(token.id, `the token of ${user}`).toBe(tokenId)
  }
  await wire.ok('PUT', `/api/v1/users/${fixture.user}/grants`, fixture.userGrant)
}

/** Everything a refused request could wrongly change: models (names, tags, aliases, timestamps), versions, a manifest, users, their grants and tokens, and the audit log. */
export async function registrySnapshot(wire: Wire): Promise<unknown> {
  const read = async (path: string) => {
    const response = await wire.send({ method: 'GET', path })
    return { status: response.status, body: response.body }
  }
  const audit = await read('/api/v1/audit?limit=1000')
  return {
    models: await read('/api/v1/models?limit=1000'),
    versions: await read('/api/v1/versions?limit=1000'),
    manifest: await read(`${VERSION}/files`),
    users: await read('/api/v1/users'),
    tokens: await read(`/api/v1/users/${fixture.user}/tokens`),
    otherTokens: await read(`/api/v1/users/${fixture.otherUser}/tokens`),
    auditEvents: (audit.body as { items?: unknown[] } | undefined)?.items?.length,
  }
}
