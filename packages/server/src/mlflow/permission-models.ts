import type { ModelOf } from '../http/permission-rules'
import { MlflowFields } from './request-fields'

/** The registered model an MLflow request names in its `name` field (query for GET, JSON body otherwise). */
export const mlflowModel: ModelOf = (request) => new MlflowFields(request).optionalString('name') || 'anywhere'
export const mlflowNewName: ModelOf = (request) => new MlflowFields(request).optionalString('new_name') || 'anywhere'
