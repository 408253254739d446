import { createHash, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, type TestServer } from '../support/backends'
import { ADMIN_TOKEN, bearer, Caller, nobody, startAuthServer, userWithToken, type Reply } from './auth-harness'

// Every route the server has (native and MLflow) × every kind of caller, with the answer each must get. The table is
// a literal: a route added without a row here fails the first test, and a changed rule fails the walk.
//
//   'ok'  the permission check passes (and the sample request succeeds)
//   401   UNAUTHENTICATED: no credentials
//   403   PERMISSION_DENIED: the caller may not do this; a change to a model the caller cannot see is refused the same
//         way whether or not the model exists
//   404   MODEL_NOT_FOUND (MLflow: RESOURCE_DOES_NOT_EXIST): the caller may not read the model, which looks exactly as if
//         it did not exist
//
// Callers: anonymous (no credentials); outsider (viewer on the model 'other' only); viewer, approver, editor and admin
// (global grants). Model-scoped sample requests act on 'churn', which the outsider cannot see. Both MLflow prefixes
// (/api/2.0 and /ajax-api/2.0) share a row; the walk sends every request under each.

const OK = 'ok'
type Expected = typeof OK | 401 | 403 | 404
const ROLES = ['anonymous', 'outsider', 'viewer', 'approver', 'editor', 'admin'] as const
type Role = (typeof ROLES)[number]
type Row = Record<Role, Expected>

const table: Record<string, Row> = {
  // ---- native API: health and documentation
  'GET|HEAD /healthz': { anonymous: OK, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /readyz': { anonymous: OK, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/openapi.json': { anonymous: OK, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },

  // ---- models
  'POST /api/v1/models': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/v1/models': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/models/:model': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'PATCH /api/v1/models/:model': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'DELETE /api/v1/models/:model': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'PUT /api/v1/models/:model/tags/:key': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'DELETE /api/v1/models/:model/tags/:key': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },

  // ---- versions
  'POST /api/v1/models/:model/versions': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/v1/models/:model/versions': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/versions': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/models/:model/versions/:version': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'PATCH /api/v1/models/:model/versions/:version': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'DELETE /api/v1/models/:model/versions/:version': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'PUT /api/v1/models/:model/versions/:version/tags/:key': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'DELETE /api/v1/models/:model/versions/:version/tags/:key': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/v1/models/:model/versions/:version/stage': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/v1/models/:model/versions/:version/approval': { anonymous: 401, outsider: 403, viewer: 403, approver: OK, editor: 403, admin: OK },
  'GET|HEAD /api/v1/models/:model/versions/:version/transitions': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },

  // ---- model cards
  'GET|HEAD /api/v1/models/:model/card': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'PUT /api/v1/models/:model/card': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/v1/models/:model/card/export': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/models/:model/versions/:version/card': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'PUT /api/v1/models/:model/versions/:version/card': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/v1/models/:model/versions/:version/card/export': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },

  // ---- aliases, files, blobs, resolution
  'GET|HEAD /api/v1/models/:model/aliases': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'PUT /api/v1/models/:model/aliases/:alias': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/v1/models/:model/aliases/:alias': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'DELETE /api/v1/models/:model/aliases/:alias': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/v1/models/:model/versions/:version/files': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/models/:model/versions/:version/files/*': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/blobs/:digest': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'PUT /api/v1/blobs/:digest': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/v1/uploads': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/v1/uploads/:upload': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'PUT /api/v1/uploads/:upload/parts/:number': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/v1/uploads/:upload/complete': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'DELETE /api/v1/uploads/:upload': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/v1/resolve': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },

  // ---- administration and audit
  'POST /api/v1/admin/gc': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/v1/audit': { anonymous: 401, outsider: 403, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/audit/verify': { anonymous: 401, outsider: 403, viewer: OK, approver: OK, editor: OK, admin: OK },

  // ---- governance: policies, the promotion dry run, transition requests, rollback
  'GET|HEAD /api/v1/policies/:scope': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'PUT /api/v1/policies/:scope': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/v1/models/:model/versions/:version/promotion-check': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'POST /api/v1/models/:model/versions/:version/requests': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/v1/requests': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/requests/:request': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'POST /api/v1/requests/:request/reviews': { anonymous: 401, outsider: 403, viewer: 403, approver: OK, editor: 403, admin: OK },
  // only the requester (here the admin) or an admin may cancel; any other editor is refused
  'POST /api/v1/requests/:request/cancel': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'POST /api/v1/models/:model/rollback': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },

  // ---- lineage, comparison, deployments and native runs (runs belong to experiments: write needs write somewhere)
  'GET|HEAD /api/v1/models/:model/versions/:version/lineage': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/models/:model/versions/:version/descendants': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/datasets/consumers': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/models/:model/compare': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/deployments': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'PUT /api/v1/deployments/:name': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  // a deployment of a model the caller may not read looks missing
  'GET|HEAD /api/v1/deployments/:name': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/deployments/:name/history': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/v1/deployments/:name/route': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'DELETE /api/v1/deployments/:name': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/v1/runs': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/v1/runs/:run': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'POST /api/v1/runs/:run/log': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/v1/runs/:run/metrics/:key': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'POST /api/v1/runs/:run/end': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/v1/runs/:run/register': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'PUT /api/v1/runs/:run/artifacts/*': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },

  // ---- identities (the sample requests act on user 'target', who is none of the callers)
  'GET|HEAD /api/v1/whoami': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'POST /api/v1/users': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/v1/users': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/v1/users/:user': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'POST /api/v1/users/:user/disable': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'POST /api/v1/users/:user/enable': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'PUT /api/v1/users/:user/grants': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'DELETE /api/v1/users/:user/grants': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'POST /api/v1/users/:user/tokens': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/v1/users/:user/tokens': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'DELETE /api/v1/users/:user/tokens/:id': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },

  // ---- webhooks and schedules: admin only (they send what happens to models to URLs outside Canon)
  'POST /api/v1/webhooks': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/v1/webhooks': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/v1/webhooks/:webhook': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'PATCH /api/v1/webhooks/:webhook': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'DELETE /api/v1/webhooks/:webhook': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/v1/webhooks/:webhook/deliveries': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'POST /api/v1/webhooks/:webhook/test': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'POST /api/v1/webhooks/:webhook/deliveries/:delivery/redeliver': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'POST /api/v1/schedules': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/v1/schedules': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/v1/schedules/:schedule': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'PATCH /api/v1/schedules/:schedule': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'DELETE /api/v1/schedules/:schedule': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'POST /api/v1/schedules/:schedule/pause': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'POST /api/v1/schedules/:schedule/resume': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/v1/schedules/:schedule/fires': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },

  // ---- MLflow face: registry (the model is the request's `name`)
  'POST /api/2.0/mlflow/registered-models/create': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/2.0/mlflow/registered-models/get': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/registered-models/rename': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'PATCH /api/2.0/mlflow/registered-models/update': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'DELETE /api/2.0/mlflow/registered-models/delete': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/2.0/mlflow/registered-models/search': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/registered-models/get-latest-versions': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/2.0/mlflow/registered-models/get-latest-versions': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/registered-models/set-tag': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'DELETE /api/2.0/mlflow/registered-models/delete-tag': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/registered-models/alias': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'DELETE /api/2.0/mlflow/registered-models/alias': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/2.0/mlflow/registered-models/alias': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/model-versions/create': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/2.0/mlflow/model-versions/get': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'PATCH /api/2.0/mlflow/model-versions/update': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/model-versions/transition-stage': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'DELETE /api/2.0/mlflow/model-versions/delete': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/2.0/mlflow/model-versions/search': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/2.0/mlflow/model-versions/get-download-uri': { anonymous: 401, outsider: 404, viewer: OK, approver: OK, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/model-versions/set-tag': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'DELETE /api/2.0/mlflow/model-versions/delete-tag': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },

  // ---- MLflow face: webhooks (admin only, as the native ones)
  'POST /api/2.0/mlflow/webhooks': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/2.0/mlflow/webhooks': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'GET|HEAD /api/2.0/mlflow/webhooks/:webhook_id': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'PATCH /api/2.0/mlflow/webhooks/:webhook_id': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'DELETE /api/2.0/mlflow/webhooks/:webhook_id': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },
  'POST /api/2.0/mlflow/webhooks/:webhook_id/test': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: 403, admin: OK },

  // ---- MLflow face: tracking (owned by no model: reading needs read somewhere, writing needs write somewhere)
  'POST /api/2.0/mlflow/experiments/create': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/2.0/mlflow/experiments/get': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/2.0/mlflow/experiments/get-by-name': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/experiments/search': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/2.0/mlflow/experiments/search': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/experiments/delete': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/experiments/restore': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/experiments/update': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/experiments/set-experiment-tag': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/runs/create': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/2.0/mlflow/runs/get': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/runs/update': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/runs/delete': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/runs/restore': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/runs/search': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/runs/log-metric': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/runs/log-parameter': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/runs/set-tag': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/runs/delete-tag': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/runs/log-batch': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/runs/log-model': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow/runs/log-inputs': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'GET|HEAD /api/2.0/mlflow/metrics/get-history': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/2.0/mlflow/artifacts/list': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },

  // ---- MLflow face: proxied artifacts
  'GET|HEAD /api/2.0/mlflow-artifacts/artifacts': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /api/2.0/mlflow-artifacts/artifacts/*': { anonymous: 401, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'PUT /api/2.0/mlflow-artifacts/artifacts/*': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'DELETE /api/2.0/mlflow-artifacts/artifacts/*': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'PUT /api/2.0/mlflow-artifacts/mpu/parts/:uploadId/:partNumber': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow-artifacts/mpu/create/*': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow-artifacts/mpu/complete/*': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },
  'POST /api/2.0/mlflow-artifacts/mpu/abort/*': { anonymous: 401, outsider: 403, viewer: 403, approver: 403, editor: OK, admin: OK },

  // ---- MLflow face: health
  'GET|HEAD /health': { anonymous: OK, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
  'GET|HEAD /version': { anonymous: OK, outsider: OK, viewer: OK, approver: OK, editor: OK, admin: OK },
}

// ---------------------------------------------------------------------------------------------------------------------
// The sample request each row sends. `tag` is unique per caller and MLflow prefix, so a caller that is allowed acts on
// things of its own (a tag, an alias, a version, an experiment to delete) and succeeds whatever ran before it.

const MODEL = 'churn'
const OUTSIDERS_MODEL = 'other'
const DATASET = 'dataset://table-events/1'
const WEIGHTS = Buffer.from('route-role table weights\n')
const DIGEST = `sha256:${createHash('sha256').update(WEIGHTS).digest('hex')}`
const MANIFEST = { files: [{ path: 'weights/model.bin', size: WEIGHTS.length, digest: DIGEST }] }
const TAGS = [...ROLES, ...ROLES.map((r) => `ml-${r}`), ...ROLES.map((r) => `ajax-${r}`)]
/** each tag has a version of 'churn' of its own: 2, 3, …; version 1 is shared by every read */
const versionOf = (tag: string) => 2 + TAGS.indexOf(tag)

interface Fixture {
  experimentId: string
  runId: string
  nativeRunId: string
  targetTokenId: number
  experiments: Record<string, string>
  runs: Record<string, string>
}

interface Sample {
  path: string
  json?: unknown
  raw?: Uint8Array
  contentType?: string
  headers?: Record<string, string>
}

interface SampleContext {
  role: Role
  tag: string
  fx: Fixture
  admin: Caller
  /** the caller the sample is sent as (resumable uploads belong to whoever opened them) */
  self: Caller
}

const m = `/api/v1/models/${MODEL}`
const ml = '/api/2.0/mlflow'
const mla = '/api/2.0/mlflow-artifacts'
const qs = (fields: Record<string, string>) => `?${new URLSearchParams(fields).toString()}`

const samples: Record<string, (c: SampleContext) => Sample | Promise<Sample>> = {
  'GET|HEAD /healthz': () => ({ path: '/healthz' }),
  'GET|HEAD /readyz': () => ({ path: '/readyz' }),
  'GET|HEAD /api/v1/openapi.json': () => ({ path: '/api/v1/openapi.json' }),

  'POST /api/v1/models': ({ tag }) => ({ path: '/api/v1/models', json: { name: `created-${tag}` } }),
  'GET|HEAD /api/v1/models': () => ({ path: '/api/v1/models' }),
  'GET|HEAD /api/v1/models/:model': () => ({ path: m }),
  'PATCH /api/v1/models/:model': ({ tag }) => ({ path: m, json: { description: `edited by ${tag}` } }),
  'DELETE /api/v1/models/:model': ({ tag }) => ({ path: `/api/v1/models/gone-${tag}` }),
  'PUT /api/v1/models/:model/tags/:key': ({ tag }) => ({ path: `${m}/tags/set-${tag}`, json: { value: 'v' } }),
  'DELETE /api/v1/models/:model/tags/:key': ({ tag }) => ({ path: `${m}/tags/del-${tag}` }),

  'POST /api/v1/models/:model/versions': () => ({ path: `${m}/versions`, json: MANIFEST }),
  'GET|HEAD /api/v1/models/:model/versions': () => ({ path: `${m}/versions` }),
  'GET|HEAD /api/v1/versions': () => ({ path: '/api/v1/versions' }),
  'GET|HEAD /api/v1/models/:model/versions/:version': () => ({ path: `${m}/versions/1` }),
  'PATCH /api/v1/models/:model/versions/:version': ({ tag }) => ({ path: `${m}/versions/1`, json: { description: `edited by ${tag}` } }),
  'DELETE /api/v1/models/:model/versions/:version': ({ tag }) => ({ path: `/api/v1/models/vgone-${tag}/versions/1` }),
  'PUT /api/v1/models/:model/versions/:version/tags/:key': ({ tag }) => ({ path: `${m}/versions/1/tags/set-${tag}`, json: { value: 'v' } }),
  'DELETE /api/v1/models/:model/versions/:version/tags/:key': ({ tag }) => ({ path: `${m}/versions/${versionOf(tag)}/tags/doomed` }),
  'POST /api/v1/models/:model/versions/:version/stage': ({ tag }) => ({ path: `${m}/versions/${versionOf(tag)}/stage`, json: { stage: 'Staging' } }),
  'POST /api/v1/models/:model/versions/:version/approval': ({ tag }) => ({ path: `${m}/versions/${versionOf(tag)}/approval`, json: { status: 'approved', comment: 'looks fine' } }),
  'GET|HEAD /api/v1/models/:model/versions/:version/transitions': () => ({ path: `${m}/versions/1/transitions` }),
  'GET|HEAD /api/v1/models/:model/card': () => ({ path: `${m}/card` }),
  'PUT /api/v1/models/:model/card': ({ tag }) => ({ path: `${m}/card`, json: { intendedUse: `written by ${tag}` } }),
  'GET|HEAD /api/v1/models/:model/card/export': () => ({ path: `${m}/card/export` }),
  'GET|HEAD /api/v1/models/:model/versions/:version/card': () => ({ path: `${m}/versions/1/card` }),
  'PUT /api/v1/models/:model/versions/:version/card': ({ tag }) => ({ path: `${m}/versions/${versionOf(tag)}/card`, json: { intendedUse: `written by ${tag}` } }),
  'GET|HEAD /api/v1/models/:model/versions/:version/card/export': () => ({ path: `${m}/versions/1/card/export` }),

  'GET|HEAD /api/v1/models/:model/aliases': () => ({ path: `${m}/aliases` }),
  'PUT /api/v1/models/:model/aliases/:alias': ({ tag }) => ({ path: `${m}/aliases/set-${tag}`, json: { version: 1 } }),
  'GET|HEAD /api/v1/models/:model/aliases/:alias': () => ({ path: `${m}/aliases/stable` }),
  'DELETE /api/v1/models/:model/aliases/:alias': ({ tag }) => ({ path: `${m}/aliases/del-${tag}` }),
  'GET|HEAD /api/v1/models/:model/versions/:version/files': () => ({ path: `${m}/versions/1/files` }),
  'GET|HEAD /api/v1/models/:model/versions/:version/files/*': () => ({ path: `${m}/versions/1/files/weights/model.bin` }),
  'GET|HEAD /api/v1/blobs/:digest': () => ({ path: `/api/v1/blobs/${DIGEST}` }),
  'PUT /api/v1/blobs/:digest': () => ({ path: `/api/v1/blobs/${DIGEST}`, raw: WEIGHTS, contentType: 'application/octet-stream' }),
  'POST /api/v1/uploads': ({ tag }) => ({ path: '/api/v1/uploads', json: { digest: sha256Of(`upload ${tag}`), size: 10 } }),
  'GET|HEAD /api/v1/uploads/:upload': async ({ self, tag }) => ({ path: `/api/v1/uploads/${await uploadOf(self, `get ${tag}`)}` }),
  'PUT /api/v1/uploads/:upload/parts/:number': async ({ self, tag }) => ({
    path: `/api/v1/uploads/${await uploadOf(self, `part ${tag}`)}/parts/1`,
    raw: WEIGHTS,
    contentType: 'application/octet-stream',
    headers: { 'x-canon-part-digest': DIGEST },
  }),
  'POST /api/v1/uploads/:upload/complete': async ({ self, tag }) => {
    const id = await uploadOf(self, `complete ${tag}`)
    await self.send('PUT', `/api/v1/uploads/${id}/parts/1`, { raw: WEIGHTS, contentType: 'application/octet-stream', headers: { 'x-canon-part-digest': DIGEST } })
    return { path: `/api/v1/uploads/${id}/complete` }
  },
  'DELETE /api/v1/uploads/:upload': async ({ self, tag }) => ({ path: `/api/v1/uploads/${await uploadOf(self, `delete ${tag}`)}` }),
  'GET|HEAD /api/v1/resolve': () => ({ path: `/api/v1/resolve${qs({ uri: `models:/${MODEL}/1` })}` }),

  'POST /api/v1/admin/gc': () => ({ path: '/api/v1/admin/gc', json: {} }),
  'GET|HEAD /api/v1/audit': () => ({ path: '/api/v1/audit?limit=5' }),
  'GET|HEAD /api/v1/audit/verify': () => ({ path: '/api/v1/audit/verify' }),

  'GET|HEAD /api/v1/policies/:scope': () => ({ path: `/api/v1/policies/${MODEL}` }),
  'PUT /api/v1/policies/:scope': () => ({ path: `/api/v1/policies/${MODEL}`, json: {} }),
  'GET|HEAD /api/v1/models/:model/versions/:version/promotion-check': () => ({ path: `${m}/versions/1/promotion-check${qs({ stage: 'Production' })}` }),
  'POST /api/v1/models/:model/versions/:version/requests': ({ tag }) => ({ path: `${m}/versions/${versionOf(tag)}/requests`, json: { kind: 'stage', target: 'Staging', comment: `by ${tag}` } }),
  'GET|HEAD /api/v1/requests': () => ({ path: '/api/v1/requests' }),
  'GET|HEAD /api/v1/requests/:request': async ({ admin }) => ({ path: `/api/v1/requests/${await requestOnOutsidersModel(admin)}` }),
  'POST /api/v1/requests/:request/reviews': async ({ tag, admin }) => ({ path: `/api/v1/requests/${await requestToReview(admin, tag)}/reviews`, json: { decision: 'approve', comment: 'looks fine' } }),
  'POST /api/v1/requests/:request/cancel': async ({ tag, admin }) => ({ path: `/api/v1/requests/${await requestToCancel(admin, tag)}/cancel`, json: {} }),
  'POST /api/v1/models/:model/rollback': async ({ tag, admin }) => ({ path: `/api/v1/models/${await modelToRollBack(admin, tag)}/rollback`, json: { reason: `rolled back by ${tag}` } }),

  'GET|HEAD /api/v1/models/:model/versions/:version/lineage': () => ({ path: `${m}/versions/1/lineage` }),
  'GET|HEAD /api/v1/models/:model/versions/:version/descendants': () => ({ path: `${m}/versions/1/descendants` }),
  'GET|HEAD /api/v1/datasets/consumers': () => ({ path: `/api/v1/datasets/consumers${qs({ uri: DATASET })}` }),
  'GET|HEAD /api/v1/models/:model/compare': () => ({ path: `${m}/compare${qs({ versions: '1,2' })}` }),
  'GET|HEAD /api/v1/deployments': () => ({ path: '/api/v1/deployments' }),
  'PUT /api/v1/deployments/:name': ({ tag }) => ({ path: `/api/v1/deployments/dep-${tag}`, json: { model: MODEL, environment: 'prod', split: { '1': 100 }, reason: `by ${tag}` } }),
  'GET|HEAD /api/v1/deployments/:name': () => ({ path: '/api/v1/deployments/churn-api' }),
  'GET|HEAD /api/v1/deployments/:name/history': () => ({ path: '/api/v1/deployments/churn-api/history' }),
  'GET|HEAD /api/v1/deployments/:name/route': () => ({ path: `/api/v1/deployments/churn-api/route${qs({ key: 'request-1' })}` }),
  'DELETE /api/v1/deployments/:name': ({ tag }) => ({ path: `/api/v1/deployments/del-dep-${tag}` }),
  'POST /api/v1/runs': ({ tag }) => ({ path: '/api/v1/runs', json: { experiment: 'table-experiment', name: `run-${tag}` } }),
  'GET|HEAD /api/v1/runs/:run': ({ fx }) => ({ path: `/api/v1/runs/${fx.nativeRunId}` }),
  'POST /api/v1/runs/:run/log': ({ tag, fx }) => ({ path: `/api/v1/runs/${fx.nativeRunId}/log`, json: { metrics: [{ key: `m-${tag}`, value: 1 }] } }),
  'GET|HEAD /api/v1/runs/:run/metrics/:key': ({ fx }) => ({ path: `/api/v1/runs/${fx.nativeRunId}/metrics/loss` }),
  'POST /api/v1/runs/:run/end': ({ tag, fx }) => ({ path: `/api/v1/runs/${fx.runs[`end-${tag}`]}/end`, json: {} }),
  'POST /api/v1/runs/:run/register': ({ fx }) => ({ path: `/api/v1/runs/${fx.nativeRunId}/register`, json: { model: MODEL, path: 'model' } }),
  'PUT /api/v1/runs/:run/artifacts/*': ({ tag, fx }) => ({ path: `/api/v1/runs/${fx.nativeRunId}/artifacts/uploads/${tag}.bin`, raw: WEIGHTS, contentType: 'application/octet-stream' }),

  'GET|HEAD /api/v1/whoami': () => ({ path: '/api/v1/whoami' }),
  'POST /api/v1/users': ({ tag }) => ({ path: '/api/v1/users', json: { name: `made-by-${tag}` } }),
  'GET|HEAD /api/v1/users': () => ({ path: '/api/v1/users' }),
  'GET|HEAD /api/v1/users/:user': () => ({ path: '/api/v1/users/target' }),
  'POST /api/v1/users/:user/disable': () => ({ path: '/api/v1/users/target/disable' }),
  'POST /api/v1/users/:user/enable': () => ({ path: '/api/v1/users/target/enable' }),
  'PUT /api/v1/users/:user/grants': ({ tag }) => ({ path: '/api/v1/users/target/grants', json: { role: 'viewer', scope: `granted-by-${tag}` } }),
  'DELETE /api/v1/users/:user/grants': () => ({ path: `/api/v1/users/target/grants${qs({ role: 'viewer', scope: 'seeded-scope' })}` }),
  'POST /api/v1/users/:user/tokens': ({ tag }) => ({ path: '/api/v1/users/target/tokens', json: { name: `by-${tag}` } }),
  'GET|HEAD /api/v1/users/:user/tokens': () => ({ path: '/api/v1/users/target/tokens' }),
  'DELETE /api/v1/users/:user/tokens/:id': ({ fx }) => ({ path: `/api/v1/users/target/tokens/${fx.targetTokenId}` }),

  'POST /api/v1/webhooks': ({ tag }) => ({ path: '/api/v1/webhooks', json: { name: `hook-${tag}`, url: QUIET_URL, events: ['model.created'], model: 'quiet' } }),
  'GET|HEAD /api/v1/webhooks': () => ({ path: '/api/v1/webhooks' }),
  'GET|HEAD /api/v1/webhooks/:webhook': async ({ admin }) => ({ path: `/api/v1/webhooks/${await sharedWebhook(admin)}` }),
  'PATCH /api/v1/webhooks/:webhook': async ({ tag, admin }) => ({ path: `/api/v1/webhooks/${await sharedWebhook(admin)}`, json: { description: `edited by ${tag}` } }),
  'DELETE /api/v1/webhooks/:webhook': async ({ tag, admin }) => ({ path: `/api/v1/webhooks/${await webhookToDelete(admin, tag)}` }),
  'GET|HEAD /api/v1/webhooks/:webhook/deliveries': async ({ admin }) => ({ path: `/api/v1/webhooks/${await sharedWebhook(admin)}/deliveries` }),
  'POST /api/v1/webhooks/:webhook/test': async ({ admin }) => ({ path: `/api/v1/webhooks/${await sharedWebhook(admin)}/test` }),
  // a test delivery has finished by the time its answer comes back, so it can be sent again at once
  'POST /api/v1/webhooks/:webhook/deliveries/:delivery/redeliver': async ({ tag, admin }) => {
    const hook = await webhookToDelete(admin, `redeliver-${tag}`)
    return { path: `/api/v1/webhooks/${hook}/deliveries/${await bodyId(admin.send('POST', `/api/v1/webhooks/${hook}/test`))}/redeliver` }
  },
  'POST /api/v1/schedules': async ({ tag, admin }) => ({ path: '/api/v1/schedules', json: { name: `sched-${tag}`, cron: '0 3 * * *', webhookId: await sharedWebhook(admin) } }),
  'GET|HEAD /api/v1/schedules': () => ({ path: '/api/v1/schedules' }),
  'GET|HEAD /api/v1/schedules/:schedule': async ({ admin }) => ({ path: `/api/v1/schedules/${await sharedSchedule(admin)}` }),
  'PATCH /api/v1/schedules/:schedule': async ({ tag, admin }) => ({ path: `/api/v1/schedules/${await sharedSchedule(admin)}`, json: { description: `edited by ${tag}` } }),
  'DELETE /api/v1/schedules/:schedule': async ({ tag, admin }) => ({ path: `/api/v1/schedules/${await scheduleToDelete(admin, tag)}` }),
  'POST /api/v1/schedules/:schedule/pause': async ({ admin }) => ({ path: `/api/v1/schedules/${await sharedSchedule(admin)}/pause` }),
  'POST /api/v1/schedules/:schedule/resume': async ({ admin }) => ({ path: `/api/v1/schedules/${await sharedSchedule(admin)}/resume` }),
  'GET|HEAD /api/v1/schedules/:schedule/fires': async ({ admin }) => ({ path: `/api/v1/schedules/${await sharedSchedule(admin)}/fires` }),

  'POST /api/2.0/mlflow/registered-models/create': ({ tag }) => ({ path: `${ml}/registered-models/create`, json: { name: `created-${tag}` } }),
  'GET|HEAD /api/2.0/mlflow/registered-models/get': () => ({ path: `${ml}/registered-models/get${qs({ name: MODEL })}` }),
  'POST /api/2.0/mlflow/registered-models/rename': ({ tag }) => ({ path: `${ml}/registered-models/rename`, json: { name: `rename-${tag}`, new_name: `renamed-${tag}` } }),
  'PATCH /api/2.0/mlflow/registered-models/update': ({ tag }) => ({ path: `${ml}/registered-models/update`, json: { name: MODEL, description: `edited by ${tag}` } }),
  'DELETE /api/2.0/mlflow/registered-models/delete': ({ tag }) => ({ path: `${ml}/registered-models/delete`, json: { name: `gone-${tag}` } }),
  'GET|HEAD /api/2.0/mlflow/registered-models/search': () => ({ path: `${ml}/registered-models/search` }),
  'POST /api/2.0/mlflow/registered-models/get-latest-versions': () => ({ path: `${ml}/registered-models/get-latest-versions`, json: { name: MODEL } }),
  'GET|HEAD /api/2.0/mlflow/registered-models/get-latest-versions': () => ({ path: `${ml}/registered-models/get-latest-versions${qs({ name: MODEL })}` }),
  'POST /api/2.0/mlflow/registered-models/set-tag': ({ tag }) => ({ path: `${ml}/registered-models/set-tag`, json: { name: MODEL, key: `set-${tag}`, value: 'v' } }),
  'DELETE /api/2.0/mlflow/registered-models/delete-tag': ({ tag }) => ({ path: `${ml}/registered-models/delete-tag`, json: { name: MODEL, key: `del-${tag}` } }),
  'POST /api/2.0/mlflow/registered-models/alias': ({ tag }) => ({ path: `${ml}/registered-models/alias`, json: { name: MODEL, alias: `set-${tag}`, version: '1' } }),
  'DELETE /api/2.0/mlflow/registered-models/alias': ({ tag }) => ({ path: `${ml}/registered-models/alias`, json: { name: MODEL, alias: `del-${tag}` } }),
  'GET|HEAD /api/2.0/mlflow/registered-models/alias': () => ({ path: `${ml}/registered-models/alias${qs({ name: MODEL, alias: 'stable' })}` }),
  'POST /api/2.0/mlflow/model-versions/create': () => ({ path: `${ml}/model-versions/create`, json: { name: MODEL, source: `models:/${MODEL}/1` } }),
  'GET|HEAD /api/2.0/mlflow/model-versions/get': () => ({ path: `${ml}/model-versions/get${qs({ name: MODEL, version: '1' })}` }),
  'PATCH /api/2.0/mlflow/model-versions/update': ({ tag }) => ({ path: `${ml}/model-versions/update`, json: { name: MODEL, version: '1', description: `edited by ${tag}` } }),
  'POST /api/2.0/mlflow/model-versions/transition-stage': ({ tag }) => ({
    path: `${ml}/model-versions/transition-stage`,
    json: { name: MODEL, version: String(versionOf(tag)), stage: 'Staging', archive_existing_versions: false },
  }),
  'DELETE /api/2.0/mlflow/model-versions/delete': ({ tag }) => ({ path: `${ml}/model-versions/delete`, json: { name: `vgone-${tag}`, version: '1' } }),
  'GET|HEAD /api/2.0/mlflow/model-versions/search': () => ({ path: `${ml}/model-versions/search` }),
  'GET|HEAD /api/2.0/mlflow/model-versions/get-download-uri': () => ({ path: `${ml}/model-versions/get-download-uri${qs({ name: MODEL, version: '1' })}` }),
  'POST /api/2.0/mlflow/model-versions/set-tag': ({ tag }) => ({ path: `${ml}/model-versions/set-tag`, json: { name: MODEL, version: '1', key: `set-${tag}`, value: 'v' } }),
  'DELETE /api/2.0/mlflow/model-versions/delete-tag': ({ tag }) => ({ path: `${ml}/model-versions/delete-tag`, json: { name: MODEL, version: String(versionOf(tag)), key: 'doomed' } }),

  'POST /api/2.0/mlflow/webhooks': ({ tag }) => ({ path: `${ml}/webhooks`, json: { name: `ml-hook-${tag}`, url: QUIET_URL, events: [{ entity: 'model_version_alias', action: 'deleted' }] } }),
  'GET|HEAD /api/2.0/mlflow/webhooks': () => ({ path: `${ml}/webhooks` }),
  'GET|HEAD /api/2.0/mlflow/webhooks/:webhook_id': async ({ admin }) => ({ path: `${ml}/webhooks/${await sharedMlflowWebhook(admin)}` }),
  'PATCH /api/2.0/mlflow/webhooks/:webhook_id': async ({ tag, admin }) => ({ path: `${ml}/webhooks/${await sharedMlflowWebhook(admin)}`, json: { description: `edited by ${tag}` } }),
  'DELETE /api/2.0/mlflow/webhooks/:webhook_id': async ({ tag, admin }) => ({ path: `${ml}/webhooks/${await mlflowWebhookToDelete(admin, tag)}` }),
  'POST /api/2.0/mlflow/webhooks/:webhook_id/test': async ({ admin }) => ({ path: `${ml}/webhooks/${await sharedMlflowWebhook(admin)}/test`, json: {} }),

  'POST /api/2.0/mlflow/experiments/create': ({ tag }) => ({ path: `${ml}/experiments/create`, json: { name: `created-${tag}` } }),
  'GET|HEAD /api/2.0/mlflow/experiments/get': ({ fx }) => ({ path: `${ml}/experiments/get${qs({ experiment_id: fx.experimentId })}` }),
  'GET|HEAD /api/2.0/mlflow/experiments/get-by-name': () => ({ path: `${ml}/experiments/get-by-name${qs({ experiment_name: 'table-experiment' })}` }),
  'POST /api/2.0/mlflow/experiments/search': () => ({ path: `${ml}/experiments/search`, json: { max_results: 10 } }),
  'GET|HEAD /api/2.0/mlflow/experiments/search': () => ({ path: `${ml}/experiments/search?max_results=10` }),
  'POST /api/2.0/mlflow/experiments/delete': ({ tag, fx }) => ({ path: `${ml}/experiments/delete`, json: { experiment_id: fx.experiments[`delete-${tag}`] } }),
  'POST /api/2.0/mlflow/experiments/restore': ({ tag, fx }) => ({ path: `${ml}/experiments/restore`, json: { experiment_id: fx.experiments[`restore-${tag}`] } }),
  'POST /api/2.0/mlflow/experiments/update': ({ tag, fx }) => ({ path: `${ml}/experiments/update`, json: { experiment_id: fx.experiments[`update-${tag}`], new_name: `updated-${tag}` } }),
  'POST /api/2.0/mlflow/experiments/set-experiment-tag': ({ tag, fx }) => ({ path: `${ml}/experiments/set-experiment-tag`, json: { experiment_id: fx.experimentId, key: `set-${tag}`, value: 'v' } }),
  'POST /api/2.0/mlflow/runs/create': ({ fx }) => ({ path: `${ml}/runs/create`, json: { experiment_id: fx.experimentId, start_time: 1 } }),
  'GET|HEAD /api/2.0/mlflow/runs/get': ({ fx }) => ({ path: `${ml}/runs/get${qs({ run_id: fx.runId })}` }),
  'POST /api/2.0/mlflow/runs/update': ({ fx }) => ({ path: `${ml}/runs/update`, json: { run_id: fx.runId, status: 'RUNNING' } }),
  'POST /api/2.0/mlflow/runs/delete': ({ tag, fx }) => ({ path: `${ml}/runs/delete`, json: { run_id: fx.runs[`delete-${tag}`] } }),
  'POST /api/2.0/mlflow/runs/restore': ({ tag, fx }) => ({ path: `${ml}/runs/restore`, json: { run_id: fx.runs[`restore-${tag}`] } }),
  'POST /api/2.0/mlflow/runs/search': ({ fx }) => ({ path: `${ml}/runs/search`, json: { experiment_ids: [fx.experimentId] } }),
  'POST /api/2.0/mlflow/runs/log-metric': ({ tag, fx }) => ({ path: `${ml}/runs/log-metric`, json: { run_id: fx.runId, key: `m-${tag}`, value: 0.5, timestamp: 1, step: 0 } }),
  'POST /api/2.0/mlflow/runs/log-parameter': ({ tag, fx }) => ({ path: `${ml}/runs/log-parameter`, json: { run_id: fx.runId, key: `p-${tag}`, value: 'v' } }),
  'POST /api/2.0/mlflow/runs/set-tag': ({ tag, fx }) => ({ path: `${ml}/runs/set-tag`, json: { run_id: fx.runId, key: `set-${tag}`, value: 'v' } }),
  'POST /api/2.0/mlflow/runs/delete-tag': ({ tag, fx }) => ({ path: `${ml}/runs/delete-tag`, json: { run_id: fx.runId, key: `del-${tag}` } }),
  'POST /api/2.0/mlflow/runs/log-batch': ({ tag, fx }) => ({ path: `${ml}/runs/log-batch`, json: { run_id: fx.runId, metrics: [{ key: `b-${tag}`, value: 1, timestamp: 1, step: 0 }] } }),
  'POST /api/2.0/mlflow/runs/log-model': ({ fx }) => ({ path: `${ml}/runs/log-model`, json: { run_id: fx.runId, model_json: JSON.stringify({ artifact_path: 'model', flavors: {} }) } }),
  'POST /api/2.0/mlflow/runs/log-inputs': ({ fx }) => ({ path: `${ml}/runs/log-inputs`, json: { run_id: fx.runId, datasets: [] } }),
  'GET|HEAD /api/2.0/mlflow/metrics/get-history': ({ fx }) => ({ path: `${ml}/metrics/get-history${qs({ run_id: fx.runId, metric_key: 'loss' })}` }),
  'GET|HEAD /api/2.0/mlflow/artifacts/list': ({ fx }) => ({ path: `${ml}/artifacts/list${qs({ run_id: fx.runId })}` }),

  'GET|HEAD /api/2.0/mlflow-artifacts/artifacts': () => ({ path: `${mla}/artifacts${qs({ path: 'seed' })}` }),
  'GET|HEAD /api/2.0/mlflow-artifacts/artifacts/*': () => ({ path: `${mla}/artifacts/seed/model.bin` }),
  'PUT /api/2.0/mlflow-artifacts/artifacts/*': ({ tag }) => ({ path: `${mla}/artifacts/uploads/${tag}.bin`, raw: WEIGHTS, contentType: 'application/octet-stream' }),
  'DELETE /api/2.0/mlflow-artifacts/artifacts/*': ({ tag }) => ({ path: `${mla}/artifacts/seed/del-${tag}.bin` }),
  'PUT /api/2.0/mlflow-artifacts/mpu/parts/:uploadId/:partNumber': () => ({ path: `${mla}/mpu/parts/${randomUUID()}/1`, raw: WEIGHTS, contentType: 'application/octet-stream' }),
  'POST /api/2.0/mlflow-artifacts/mpu/create/*': ({ tag }) => ({ path: `${mla}/mpu/create/multipart/${tag}`, json: { path: 'big.bin', num_parts: 1 } }),
  'POST /api/2.0/mlflow-artifacts/mpu/complete/*': async ({ tag, admin }) => {
    // a part the admin uploaded: completing it is the caller's part
    const part = await admin.send('PUT', `${mla}/mpu/parts/${randomUUID()}/1`, { raw: WEIGHTS, contentType: 'application/octet-stream' })
    const etag = part.headers.get('etag') ?? ''
    return { path: `${mla}/mpu/complete/multipart/${tag}`, json: { path: 'big.bin', upload_id: 'u', parts: [{ part_number: 1, etag }] } }
  },
  'POST /api/2.0/mlflow-artifacts/mpu/abort/*': ({ tag }) => ({ path: `${mla}/mpu/abort/multipart/${tag}`, json: { path: 'big.bin', upload_id: 'u' } }),

  'GET|HEAD /health': () => ({ path: '/health' }),
  'GET|HEAD /version': () => ({ path: '/version' }),
}

const sha256Of = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`
/**
 * An upload session opened by the caller itself (a caller who may not open one gets a random id). Sessions for parts
 * carry WEIGHTS; the others are for a made-up blob of their own, so completing one session leaves the others open.
 */
const uploadOf = (self: Caller, purpose: string) =>
  once(`upload ${self.baseUrl} ${purpose}`, async () => {
    const blob = /^(part|complete)/.test(purpose) ? { digest: DIGEST, size: WEIGHTS.length } : { digest: sha256Of(purpose), size: 10 }
    const opened = await self.send<{ id?: string }>('POST', '/api/v1/uploads', { json: blob })
    return opened.status < 300 && opened.body.id ? opened.body.id : randomUUID()
  })

// Transition requests and rollbacks the governance samples act on, made once per server (and per tag) on first use.
const made = new Map<string, Promise<unknown>>()
const once = <T>(key: string, make: () => Promise<T>): Promise<T> => {
  if (!made.has(key)) made.set(key, make())
  return made.get(key) as Promise<T>
}
const idOf = async (reply: Promise<Reply>) => ((await reply).body as { id: number }).id
/** an editor who is none of the callers, so approvers and the admin may review what it requests (four eyes) */
const requester = (admin: Caller) =>
  once(`requester ${admin.baseUrl}`, async () => new Caller(admin.baseUrl, { bearer: await userWithToken(admin, 'table-requester', [{ role: 'editor', scope: '*' }]) }))
const requestOnOutsidersModel = (admin: Caller) =>
  once(`shown ${admin.baseUrl}`, async () => {
    await admin.send('POST', `/api/v1/models/${OUTSIDERS_MODEL}/versions`, { json: MANIFEST })
    return idOf(admin.send('POST', `/api/v1/models/${OUTSIDERS_MODEL}/versions/1/requests`, { json: { kind: 'alias', target: 'shown' } }))
  })
const requestToReview = (admin: Caller, tag: string) =>
  once(`review ${admin.baseUrl} ${tag}`, async () => idOf((await requester(admin)).send('POST', `${m}/versions/1/requests`, { json: { kind: 'alias', target: `review-${tag}` } })))
const requestToCancel = (admin: Caller, tag: string) =>
  once(`cancel ${admin.baseUrl} ${tag}`, () => idOf(admin.send('POST', `${m}/versions/1/requests`, { json: { kind: 'alias', target: `cancel-${tag}` } })))
/** a model of its own with two versions promoted in turn, so there is a previous Production version to go back to */
const modelToRollBack = (admin: Caller, tag: string) =>
  once(`rollback ${admin.baseUrl} ${tag}`, async () => {
    const name = `rollback-${tag}`
    await admin.send('POST', '/api/v1/models', { json: { name } })
    for (const version of [1, 2]) {
      await admin.send('POST', `/api/v1/models/${name}/versions`, { json: MANIFEST })
      await admin.send('POST', `/api/v1/models/${name}/versions/${version}/stage`, { json: { stage: 'Production' } })
    }
    return name
  })

// Webhooks and schedules the samples act on; the URL refuses connections, and no event reaches these webhooks.
const QUIET_URL = 'http://127.0.0.1:9/quiet'
const bodyId = async (reply: Promise<Reply>, field: 'id' | 'name' = 'id') => String(((await reply).body as Record<string, unknown>)[field])
const nativeHook = (admin: Caller, name: string) => bodyId(admin.send('POST', '/api/v1/webhooks', { json: { name, url: QUIET_URL, events: ['model.created'], model: 'quiet' } }))
const mlflowHook = async (admin: Caller, name: string) =>
  String(((await admin.send('POST', `${ml}/webhooks`, { json: { name, url: QUIET_URL, events: [{ entity: 'model_version_alias', action: 'deleted' }] } })).body as { webhook: { webhook_id: string } }).webhook.webhook_id)
const sharedWebhook = (admin: Caller) => once(`webhook ${admin.baseUrl}`, () => nativeHook(admin, 'table-webhook'))
const webhookToDelete = (admin: Caller, tag: string) => once(`webhook ${admin.baseUrl} ${tag}`, () => nativeHook(admin, `doomed-${tag}`))
const sharedMlflowWebhook = (admin: Caller) => once(`mlflow webhook ${admin.baseUrl}`, () => mlflowHook(admin, 'table-mlflow-webhook'))
const mlflowWebhookToDelete = (admin: Caller, tag: string) => once(`mlflow webhook ${admin.baseUrl} ${tag}`, () => mlflowHook(admin, `doomed-${tag}`))
const schedule = async (admin: Caller, name: string) =>
  bodyId(admin.send('POST', '/api/v1/schedules', { json: { name, cron: '0 3 * * *', webhookId: await sharedWebhook(admin) } }), 'name')
const sharedSchedule = (admin: Caller) => once(`schedule ${admin.baseUrl}`, () => schedule(admin, 'table-schedule'))
const scheduleToDelete = (admin: Caller, tag: string) => once(`schedule ${admin.baseUrl} ${tag}`, () => schedule(admin, `doomed-${tag}`))

// ---------------------------------------------------------------------------------------------------------------------

/** 'METHOD /url' for a route, with MLflow's /ajax-api prefix folded onto /api. */
const routeKey = (method: string, url: string) => `${method} ${url.replace(/^\/ajax-api\/2\.0\//, '/api/2.0/')}`
/** 'GET|HEAD /x' → ['GET /x', 'HEAD /x'] */
const expand = (rowKey: string) => {
  const [methods = '', url = ''] = rowKey.split(' ')
  return methods.split('|').map((method) => `${method} ${url}`)
}
const rowOf = new Map(Object.keys(table).flatMap((rowKey) => expand(rowKey).map((key) => [key, rowKey] as const)))

/** Creates the callers and everything the sample requests act on. */
async function seed(server: TestServer): Promise<{ callers: Record<Role, Caller>; fx: Fixture }> {
  const admin = bearer(server, ADMIN_TOKEN)
  const tokens = {
    viewer: await userWithToken(admin, 'viewer', [{ role: 'viewer', scope: '*' }]),
    approver: await userWithToken(admin, 'approver', [{ role: 'approver', scope: '*' }]),
    editor: await userWithToken(admin, 'editor', [{ role: 'editor', scope: '*' }]),
    outsider: await userWithToken(admin, 'outsider', [{ role: 'viewer', scope: OUTSIDERS_MODEL }]),
  }
  await userWithToken(admin, 'target', [{ role: 'viewer', scope: 'seeded-scope' }])
  const [targetToken] = (await admin.ok<{ items: { id: number }[] }>('GET', '/api/v1/users/target/tokens')).items
  const callers: Record<Role, Caller> = {
    anonymous: nobody(server),
    outsider: bearer(server, tokens.outsider),
    viewer: bearer(server, tokens.viewer),
    approver: bearer(server, tokens.approver),
    editor: bearer(server, tokens.editor),
    admin,
  }

  // The editor registers everything, so approvers (and the admin) may review it under the four-eyes rule.
  const editor = callers.editor
  expect((await editor.send('PUT', `/api/v1/blobs/${DIGEST}`, { raw: WEIGHTS, contentType: 'application/octet-stream' })).status).toBeLessThan(300)
  await editor.ok('POST', '/api/v1/models', { name: MODEL, description: 'the model every sample acts on' })
  await editor.ok('POST', '/api/v1/models', { name: OUTSIDERS_MODEL })
  for (let version = 1; version <= versionOf(TAGS.at(-1)!); version++) await editor.ok('POST', `${m}/versions`, MANIFEST)
  await editor.ok('PUT', `${m}/aliases/stable`, { version: 1 })

  const experiment = await editor.ok<{ experiment_id: string }>('POST', `${ml}/experiments/create`, { name: 'table-experiment' })
  const run = await editor.ok<{ run: { info: { run_id: string } } }>('POST', `${ml}/runs/create`, { experiment_id: experiment.experiment_id, start_time: 1 })
  const runId = run.run.info.run_id
  await editor.ok('POST', `${ml}/runs/log-metric`, { run_id: runId, key: 'loss', value: 0.1, timestamp: 1, step: 0 })
  expect((await editor.send('PUT', `${mla}/artifacts/seed/model.bin`, { raw: WEIGHTS, contentType: 'application/octet-stream' })).status).toBeLessThan(300)

  const nativeRun = await editor.ok<{ id: string }>('POST', '/api/v1/runs', { experiment: 'table-experiment', name: 'native' })
  await editor.ok('POST', `/api/v1/runs/${nativeRun.id}/log`, { metrics: [{ key: 'loss', value: 0.2 }], datasets: [{ uri: DATASET, digest: 'd1' }] })
  expect((await editor.send('PUT', `/api/v1/runs/${nativeRun.id}/artifacts/model/model.bin`, { raw: WEIGHTS, contentType: 'application/octet-stream' })).status).toBe(201)
  // a version with lineage (after the numbered ones, so versionOf stays true), and a deployment of version 1
  await editor.ok('POST', `/api/v1/runs/${nativeRun.id}/register`, { model: MODEL, path: 'model', lineage: { parent: { model: MODEL, version: 1 } } })
  await editor.ok('PUT', '/api/v1/deployments/churn-api', { model: MODEL, environment: 'prod', split: { '1': 100 } })

  const fx: Fixture = { experimentId: experiment.experiment_id, runId, nativeRunId: nativeRun.id, targetTokenId: targetToken!.id, experiments: {}, runs: {} }
  for (const tag of TAGS) {
    await editor.ok('PUT', `/api/v1/deployments/del-dep-${tag}`, { model: MODEL, environment: 'prod', split: { '1': 100 } })
    fx.runs[`end-${tag}`] = (await editor.ok<{ id: string }>('POST', '/api/v1/runs', { experiment: 'table-experiment' })).id
    await editor.ok('PUT', `${m}/tags/del-${tag}`, { value: 'x' })
    await editor.ok('PUT', `${m}/aliases/del-${tag}`, { version: 1 })
    await editor.ok('PUT', `${m}/versions/${versionOf(tag)}/tags/doomed`, { value: 'x' })
    await editor.ok('POST', '/api/v1/models', { name: `gone-${tag}` })
    await editor.ok('POST', '/api/v1/models', { name: `rename-${tag}` })
    await editor.ok('POST', '/api/v1/models', { name: `vgone-${tag}` })
    await editor.ok('POST', `/api/v1/models/vgone-${tag}/versions`, MANIFEST)
    for (const purpose of ['delete', 'restore', 'update']) {
      const created = await editor.ok<{ experiment_id: string }>('POST', `${ml}/experiments/create`, { name: `${purpose}-${tag}` })
      fx.experiments[`${purpose}-${tag}`] = created.experiment_id
    }
    await editor.ok('POST', `${ml}/experiments/delete`, { experiment_id: fx.experiments[`restore-${tag}`] })
    for (const purpose of ['delete', 'restore']) {
      const created = await editor.ok<{ run: { info: { run_id: string } } }>('POST', `${ml}/runs/create`, { experiment_id: fx.experimentId, start_time: 1 })
      fx.runs[`${purpose}-${tag}`] = created.run.info.run_id
    }
    await editor.ok('POST', `${ml}/runs/delete`, { run_id: fx.runs[`restore-${tag}`] })
    await editor.ok('POST', `${ml}/runs/set-tag`, { run_id: runId, key: `del-${tag}`, value: 'x' })
    expect((await editor.send('PUT', `${mla}/artifacts/seed/del-${tag}.bin`, { raw: WEIGHTS, contentType: 'application/octet-stream' })).status).toBeLessThan(300)
  }
  return { callers, fx }
}

const isMlflow = (url: string) => /^\/(ajax-)?api\/2\.0\/mlflow/.test(url)

/** What went wrong with one cell, or null when the answer is the expected one. */
function judge(reply: Reply, expected: Expected, method: string, url: string): string | null {
  const head = method === 'HEAD'
  const code = isMlflow(url) ? reply.body?.error_code : reply.body?.error?.code
  const message = isMlflow(url) ? reply.body?.message : reply.body?.error?.message
  const wanted: Record<Exclude<Expected, 'ok'>, string> = {
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: isMlflow(url) ? 'RESOURCE_DOES_NOT_EXIST' : url.startsWith('/api/v1/deployments/') ? 'DEPLOYMENT_NOT_FOUND' : 'MODEL_NOT_FOUND',
  }
  if (expected === OK) return reply.status < 400 ? null : `expected success, got ${reply.status} ${reply.text.slice(0, 200)}`
  if (reply.status !== expected) return `expected ${expected} ${wanted[expected]}, got ${reply.status} ${reply.text.slice(0, 200)}`
  if (head) return null
  if (code !== wanted[expected]) return `expected ${expected} ${wanted[expected]}, got ${reply.status} ${reply.text.slice(0, 200)}`
  if (typeof message !== 'string' || message.length === 0) return `no message in ${reply.text.slice(0, 200)}`
  return null
}

describe.each(backends)('route × role table on %s', (backend) => {
  let server: TestServer
  let callers: Record<Role, Caller>
  let fx: Fixture

  beforeAll(async () => {
    server = await startAuthServer(backend)
    ;({ callers, fx } = await seed(server))
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('has a row for every route the server has, and no row for a route it does not have', () => {
    const routes = new Set(server.app.routeRules.map((r) => routeKey(r.method, r.url)))
    const rows = new Set(rowOf.keys())
    expect([...routes].filter((key) => !rows.has(key)).sort(), 'routes without a row in the table').toEqual([])
    expect([...rows].filter((key) => !routes.has(key)).sort(), 'rows for routes the server does not have').toEqual([])
    expect(Object.keys(samples).sort(), 'every row has a sample request').toEqual(Object.keys(table).sort())
  })

  it('marks as public exactly the routes whose row lets anonymous callers in', () => {
    const publicRoutes = server.app.routeRules.filter((r) => r.rule.kind === 'public').map((r) => routeKey(r.method, r.url))
    const openRows = [...rowOf.entries()].filter(([, rowKey]) => table[rowKey]!.anonymous === OK).map(([key]) => key)
    expect([...new Set(publicRoutes)].sort()).toEqual(openRows.sort())
  })

  for (const rowKey of Object.keys(table)) {
    it(`${rowKey} answers each caller as the table says`, async () => {
      const routes = server.app.routeRules.filter((r) => rowOf.get(routeKey(r.method, r.url)) === rowKey)
      expect(routes.length, `routes behind ${rowKey}`).toBeGreaterThan(0)
      const wrong: string[] = []
      for (const route of routes) {
        const ajax = route.url.startsWith('/ajax-api/')
        for (const role of ROLES) {
          const tag = !isMlflow(route.url) ? role : ajax ? `ajax-${role}` : `ml-${role}`
          const sample = await samples[rowKey]!({ role, tag, fx, admin: callers.admin, self: callers[role] })
          const path = ajax ? sample.path.replace(/^\/api\/2\.0\//, '/ajax-api/2.0/') : sample.path
          const body = route.method === 'HEAD' || route.method === 'GET' ? {} : { json: sample.json, raw: sample.raw, contentType: sample.contentType, headers: sample.headers }
          const reply = await callers[role].send(route.method, path, body)
          const problem = judge(reply, table[rowKey]![role], route.method, route.url)
          if (problem) wrong.push(`${role}: ${route.method} ${path} ${problem}`)
        }
      }
      expect(wrong.join('\n'), 'cells that answered otherwise').toBe('')
    })
  }

  it('tells an outsider the same thing about a model that exists and one that does not', async () => {
    const probes: { method: string; path: (name: string) => string; json?: (name: string) => unknown }[] = [
      { method: 'GET', path: (name) => `/api/v1/models/${name}` },
      { method: 'PATCH', path: (name) => `/api/v1/models/${name}`, json: () => ({ description: 'x' }) },
      { method: 'GET', path: (name) => `/api/v1/models/${name}/versions/1` },
      { method: 'GET', path: (name) => `/api/v1/resolve${qs({ uri: `models:/${name}/1` })}` },
      { method: 'GET', path: (name) => `${ml}/registered-models/get${qs({ name })}` },
      { method: 'POST', path: () => `${ml}/registered-models/set-tag`, json: (name) => ({ name, key: 'k', value: 'v' }) },
    ]
    const answer = async (method: string, path: string, json: unknown, name: string) => {
      const reply = await callers.outsider.send(method, path, json === undefined ? {} : { json })
      const message = String(reply.body?.error?.message ?? reply.body?.message)
      return { status: reply.status, code: reply.body?.error?.code ?? reply.body?.error_code, message: message.replaceAll(name, '<name>') }
    }
    for (const probe of probes) {
      const existing = await answer(probe.method, probe.path(MODEL), probe.json?.(MODEL), MODEL)
      const missing = await answer(probe.method, probe.path('no-such-model'), probe.json?.('no-such-model'), 'no-such-model')
      expect(existing, `${probe.method} ${probe.path(MODEL)}`).toEqual(missing)
    }
  })

  it('refuses an anonymous request with 401 before looking at its input', async () => {
    const anonymous = callers.anonymous
    const wrong: string[] = []
    for (const route of server.app.routeRules) {
      const rowKey = rowOf.get(routeKey(route.method, route.url))
      // a route without a row fails the first test; here it is skipped
      if (route.rule.kind === 'public' || route.method === 'HEAD' || rowKey === undefined) continue
      const sample = await samples[rowKey]!({ role: 'anonymous', tag: 'anonymous', fx, admin: callers.admin, self: anonymous })
      const path = route.url.startsWith('/ajax-api/') ? sample.path.replace(/^\/api\/2\.0\//, '/ajax-api/2.0/') : sample.path
      // malformed JSON for routes that take a body; an undefined query parameter for those that do not
      const reply =
        route.method === 'GET'
          ? await anonymous.send('GET', `${path}${path.includes('?') ? '&' : '?'}limit=not-a-number&unexpectedParam=1`)
          : await anonymous.send(route.method, path, { raw: '{"name": ', contentType: 'application/json' })
      if (reply.status !== 401) wrong.push(`${route.method} ${path} → ${reply.status} ${reply.text.slice(0, 160)}`)
    }
    expect(wrong.join('\n'), 'anonymous requests answered otherwise').toBe('')
  })
})
