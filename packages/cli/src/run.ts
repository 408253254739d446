import { buildProgram } from './program'
import { reportFailure } from './failure'

/** Runs one `canon` invocation and returns its exit code (a running `serve` keeps the process alive). */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv)
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (error) {
    return reportFailure(error)
  }
}
