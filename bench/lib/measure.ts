import { runLoad, type LoadResult, type LoadSpec } from './load'
import { cpuSeconds, machineBusySeconds, type ProcessMonitor } from './process-monitor'

export interface PhaseResult extends LoadResult {
  /** CPU the server process used, in % of one core */
  serverCpuPct: number
  /** CPU the load generator (this process) used, in % of one core */
  loadGenCpuPct: number
  /** CPU every other process on the machine used meanwhile, in % of one core: the noise in this measurement */
  otherCpuPct: number
  /** max RSS of the Canon server during the measured window, MB */
  maxRssMB: number
  /** the server's process.memoryUsage() in MB at the end of the phase (heap, external, array buffers), if it answered */
  memoryMB?: Record<string, number>
}

export interface MeasuredProcess {
  pid: number
  memoryUsage?(): Promise<NodeJS.MemoryUsage | undefined>
}

/** Warms up, then measures one load phase while sampling the server's CPU and the Canon server's RSS. */
export async function measurePhase(
  spec: LoadSpec,
  target: MeasuredProcess,
  monitor: ProcessMonitor,
  options: { connections: number; durationSeconds: number; warmupSeconds: number },
): Promise<PhaseResult> {
  if (options.warmupSeconds > 0) await runLoad(spec, options.connections, options.warmupSeconds)
  monitor.beginPhase()
  const serverCpu = cpuSeconds(target.pid)
  const selfCpu = process.cpuUsage()
  const machineBusy = machineBusySeconds()
  const result = await runLoad(spec, options.connections, options.durationSeconds)
  const self = process.cpuUsage(selfCpu)
  const serverCpuSeconds = cpuSeconds(target.pid) - serverCpu
  const selfCpuSeconds = (self.user + self.system) / 1e6
  const otherCpuSeconds = Math.max(0, machineBusySeconds() - machineBusy - serverCpuSeconds - selfCpuSeconds)
  const memory = await target.memoryUsage?.()
  return {
    ...result,
    serverCpuPct: (serverCpuSeconds / result.seconds) * 100,
    loadGenCpuPct: (selfCpuSeconds / result.seconds) * 100,
    otherCpuPct: (otherCpuSeconds / result.seconds) * 100,
    maxRssMB: monitor.endPhase(),
    ...(memory && { memoryMB: Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, Math.round(v / 1e5) / 10])) }),
  }
}
