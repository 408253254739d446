import { Type } from 'typebox'
import { Limits } from '@canon/api'

// Path parameters shared by the route files; a model name arrives URL-encoded ('/' as %2F).
const model = Type.String({ minLength: 1, maxLength: Limits.modelName, description: 'Model name, URL-encoded' })
const version = Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Version number' })
const key = Type.String({ minLength: 1, maxLength: Limits.tagKey })

export const ModelParams = Type.Object({ model })
export const TagParams = Type.Object({ model, key })
export const VersionParams = Type.Object({ model, version })
export const VersionTagParams = Type.Object({ model, version, key })
export const AliasParams = Type.Object({ model, alias: Type.String({ minLength: 1, maxLength: 1024 }) })
export const FileParams = Type.Object({ model, version, '*': Type.String({ description: 'File path inside the version' }) })
export const DigestParams = Type.Object({ digest: Type.String({ maxLength: 200, description: 'sha256:<hex>' }) })
