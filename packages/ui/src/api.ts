import { AliasesApi, AuditApi, CanonApiError, CardsApi, DeploymentsApi, GovernanceApi, IdentitiesApi, LineageApi, ModelsApi, Transport, VersionsApi } from '@canon/sdk/browser'

// The UI's one client: the SDK's browser-safe parts over the page's own origin, with the signed-in token.

const TOKEN_KEY = 'canon.token'

export function storedToken(): string | undefined {
  return window.localStorage.getItem(TOKEN_KEY) ?? undefined
}

export function storeToken(token: string | undefined): void {
  if (token) window.localStorage.setItem(TOKEN_KEY, token)
  else window.localStorage.removeItem(TOKEN_KEY)
}

export function makeClient(token = storedToken()) {
  // fetch must be called unbound from window, not as a method of the transport
  const http = new Transport({ url: window.location.origin, token, fetch: (input, init) => window.fetch(input, init), userAgent: 'canon-ui' })
  return {
    token,
    http,
    models: new ModelsApi(http),
    versions: new VersionsApi(http),
    aliases: new AliasesApi(http),
    audit: new AuditApi(http),
    identities: new IdentitiesApi(http),
    governance: new GovernanceApi(http),
    cards: new CardsApi(http),
    lineage: new LineageApi(http),
    deployments: new DeploymentsApi(http),
  }
}

export type Client = ReturnType<typeof makeClient>

export function errorMessage(error: unknown): string {
  if (error instanceof CanonApiError) return `${error.message} (${error.code})`
  return error instanceof Error ? error.message : String(error)
}

export const isUnauthenticated = (error: unknown) => error instanceof CanonApiError && error.code === 'UNAUTHENTICATED'

/** `/api/v1/models/team%2Fchurn/versions/3/files/a/b.bin`: a download link for one file of a version. */
export function fileUrl(model: string, version: number, path: string): string {
  return `/api/v1/models/${encodeURIComponent(model)}/versions/${version}/files/${path.split('/').map(encodeURIComponent).join('/')}`
}
