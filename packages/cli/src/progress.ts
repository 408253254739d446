import cliProgress from 'cli-progress'
import { bytes } from './format'

export interface ProgressDisplay {
  /** shows `done` of `total` bytes under `label`, switching bars when the label changes */
  update(label: string, done: number, total: number, detail: string): void
  stop(): void
}

/** A byte progress bar on stderr, only when stderr is a terminal: pipes and CI logs get nothing. */
export function progressDisplay(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  if (!stream.isTTY) return { update: () => {}, stop: () => {} }
  let bar: cliProgress.SingleBar | undefined
  let current = ''
  const payload = (label: string, done: number, total: number, detail: string) => ({ label, doneText: bytes(done), totalText: bytes(total), detail })
  return {
    update(label, done, total, detail) {
      if (label !== current) {
        bar?.stop()
        bar = new cliProgress.SingleBar(
          { stream, format: '{label} [{bar}] {percentage}% {doneText}/{totalText} {detail}', hideCursor: true, clearOnComplete: false, etaBuffer: 50 },
          cliProgress.Presets.shades_classic,
        )
        bar.start(Math.max(total, 1), 0, payload(label, done, total, detail))
        current = label
      }
      bar?.update(done, payload(label, done, total, detail))
    },
    stop() {
      bar?.stop()
      bar = undefined
      current = ''
    },
  }
}
