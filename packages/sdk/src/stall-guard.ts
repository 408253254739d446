/** An abort signal that fires when `touch()` has not been called for `ms` milliseconds. */
export function stallGuard(ms: number, parent?: AbortSignal): { signal: AbortSignal; touch(): void; stalled(): boolean; dispose(): void } {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const touch = () => {
    clearTimeout(timer)
    timer = setTimeout(() => controller.abort(), ms)
    timer.unref()
  }
  touch()
  return {
    signal: parent ? AbortSignal.any([parent, controller.signal]) : controller.signal,
    touch,
    stalled: () => controller.signal.aborted,
    dispose: () => clearTimeout(timer),
  }
}
