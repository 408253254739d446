import { readFileSync } from 'node:fs'

const MB = 1e6

/**
 * Samples a process's resident memory (VmRSS) every `intervalMs` and keeps the maximum per phase and overall.
 * VmHWM (the kernel's own peak RSS for the process) is kept too, so a spike between two samples is not missed.
 */
export class ProcessMonitor {
  #pid: number | undefined
  #timer: NodeJS.Timeout | undefined
  #phaseMaxBytes = 0
  #overallMaxBytes = 0
  #peakHwmBytes = 0
  #samples = 0

  constructor(private readonly intervalMs = 200) {}

  /** Starts sampling `pid` (replacing any previous process, e.g. after a restart). */
  watch(pid: number): void {
    this.#pid = pid
    this.sample()
    if (!this.#timer) {
      this.#timer = setInterval(() => this.sample(), this.intervalMs)
      this.#timer.unref()
    }
  }

  beginPhase(): void {
    this.sample()
    this.#phaseMaxBytes = 0
    this.sample()
  }

  /** Max RSS in MB seen since beginPhase(). */
  endPhase(): number {
    this.sample()
    return this.#phaseMaxBytes / MB
  }

  get overall(): { maxRssMB: number; peakHwmMB: number; samples: number } {
    return { maxRssMB: this.#overallMaxBytes / MB, peakHwmMB: this.#peakHwmBytes / MB, samples: this.#samples }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = undefined
  }

  sample(): void {
    if (this.#pid === undefined) return
    const status = readStatus(this.#pid)
    if (!status) return
    this.#samples++
    this.#phaseMaxBytes = Math.max(this.#phaseMaxBytes, status.rss)
    this.#overallMaxBytes = Math.max(this.#overallMaxBytes, status.rss)
    this.#peakHwmBytes = Math.max(this.#peakHwmBytes, status.hwm)
  }
}

function readStatus(pid: number): { rss: number; hwm: number } | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8')
  } catch {
    return undefined // the process is gone (killed on purpose, or between a restart)
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') }
}

/** CPU time (user + system) the process has used so far, in seconds; from /proc/<pid>/stat, in clock ticks of 1/100 s. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // fields after the ")" that closes the command name; utime and stime are fields 14 and 15 of the whole line
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}

/** CPU seconds the whole machine has spent busy (all cores, all processes: user, system, irq, steal), from /proc/stat. */
export function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] as string
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number)
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100
  } catch {
    return 0
  }
}
