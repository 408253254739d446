export { loadConfig, ConfigError, type CanonConfig, type ConfigOverrides } from './config'
export { startServer, openStore, createLogger, type RunningServer } from './main'
export { CANON_VERSION } from './version'
