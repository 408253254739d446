// URL paths of the native API; model names may contain '/' and spaces, so every segment is encoded.

const segment = encodeURIComponent

export const paths = {
  models: () => '/api/v1/models',
  model: (model: string) => `/api/v1/models/${segment(model)}`,
  modelTag: (model: string, key: string) => `/api/v1/models/${segment(model)}/tags/${segment(key)}`,
  versions: (model: string) => `/api/v1/models/${segment(model)}/versions`,
  allVersions: () => '/api/v1/versions',
  version: (model: string, version: number) => `/api/v1/models/${segment(model)}/versions/${versionNumber(version)}`,
  versionTag: (model: string, version: number, key: string) => `${paths.version(model, version)}/tags/${segment(key)}`,
  stage: (model: string, version: number) => `${paths.version(model, version)}/stage`,
  transitions: (model: string, version: number) => `${paths.version(model, version)}/transitions`,
  files: (model: string, version: number) => `${paths.version(model, version)}/files`,
  // a file path keeps its '/' separators; each segment is encoded on its own
  file: (model: string, version: number, path: string) => `${paths.files(model, version)}/${path.split('/').map(segment).join('/')}`,
  aliases: (model: string) => `/api/v1/models/${segment(model)}/aliases`,
  alias: (model: string, alias: string) => `/api/v1/models/${segment(model)}/aliases/${segment(alias)}`,
  blob: (digest: string) => `/api/v1/blobs/${segment(digest)}`,
  resolve: () => '/api/v1/resolve',
  gc: () => '/api/v1/admin/gc',
  audit: () => '/api/v1/audit',
  auditVerify: () => '/api/v1/audit/verify',
  policy: (scope: string) => `/api/v1/policies/${segment(scope)}`,
  promotionCheck: (model: string, version: number) => `${paths.version(model, version)}/promotion-check`,
  versionRequests: (model: string, version: number) => `${paths.version(model, version)}/requests`,
  requests: () => '/api/v1/requests',
  request: (id: number) => `/api/v1/requests/${versionNumber(id)}`,
  rollback: (model: string) => `/api/v1/models/${segment(model)}/rollback`,
  health: () => '/healthz',
  ready: () => '/readyz',
}

function versionNumber(version: number): string {
  return Number.isSafeInteger(version) ? String(version) : segment(String(version))
}
