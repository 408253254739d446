import type { ServiceDeps } from '../../services/context'

export interface RouteOptions {
  deps: ServiceDeps
}
