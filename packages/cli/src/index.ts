export { buildProgram, CLI_VERSION } from './program'
export { runCli } from './run'
export { reportFailure, UsageError, ExitCode } from './failure'
