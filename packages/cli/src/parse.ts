import { InvalidArgumentError } from 'commander'
import { Stages, type Stage } from '@canon/api'

// Argument and option parsers for commander; each throws InvalidArgumentError, which exits 2.

export function versionNumber(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`'${value}' is not a version number (1, 2, 3…).`)
  return n
}

export function positiveInteger(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`'${value}' is not a whole number ≥ 1.`)
  return n
}

export function nonNegativeInteger(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`'${value}' is not a whole number ≥ 0.`)
  return n
}

export function stage(value: string): Stage {
  const match = Stages.find((s) => s.toLowerCase() === value.toLowerCase())
  if (!match) throw new InvalidArgumentError(`'${value}' is not a stage; use one of ${Stages.join(', ')}.`)
  return match
}

export function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!choices.includes(value as T)) throw new InvalidArgumentError(`'${value}' is not one of ${choices.join(', ')}.`)
    return value as T
  }
}

/** Collects repeated `--flag key=value` into a record. */
export function keyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=')
  if (at <= 0) throw new InvalidArgumentError(`'${value}' is not key=value.`)
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) }
}

/** Collects repeated `--metric key=number` into a record. */
export function keyNumber(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const [key, raw] = Object.entries(keyValue(value))[0] as [string, string]
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`'${value}': the value of a metric must be a number.`)
  return { ...previous, [key]: n }
}

export function repeatable(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 }

/** '1h', '30m', '3600s', '2d' or plain seconds → seconds. */
export function duration(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim())
  if (!match) throw new InvalidArgumentError(`'${value}' is not a duration; use e.g. 1h, 30m, 3600s or 0s.`)
  return Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] as number)
}

export function timestamp(value: string): string {
  const time = Date.parse(value)
  if (Number.isNaN(time)) throw new InvalidArgumentError(`'${value}' is not a date or time; use e.g. 2025-01-31 or 2025-01-31T12:00:00Z.`)
  return new Date(time).toISOString()
}

/** Collects repeated `--dataset <uri>@<digest>` (the last '@' splits; a digest never holds one). */
export function datasetRef(value: string, previous: { uri: string; digest: string }[] = []): { uri: string; digest: string }[] {
  const at = value.lastIndexOf('@')
  if (at <= 0 || at === value.length - 1) throw new InvalidArgumentError(`'${value}' is not <uri>@<digest>, e.g. dataset://churn-events/2024-06@sha256:ab12….`)
  return [...previous, { uri: value.slice(0, at), digest: value.slice(at + 1) }]
}

/** `churn/3` or `churn@3`-style parent references: the last '/' splits model and version. */
export function versionRef(value: string): { model: string; version: number } {
  const at = value.lastIndexOf('/')
  const version = Number(value.slice(at + 1))
  if (at <= 0 || !/^\d+$/.test(value.slice(at + 1)) || version < 1) throw new InvalidArgumentError(`'${value}' is not <model>/<version>, e.g. churn/3.`)
  return { model: value.slice(0, at), version }
}

/** `5=90,6=10` → {5: 90, 6: 10} */
export function split(value: string): Record<string, number> {
  const result: Record<string, number> = {}
  for (const part of value.split(',')) {
    const match = /^\s*(\d+)\s*[=:]\s*(\d+)\s*$/.exec(part)
    if (!match) throw new InvalidArgumentError(`'${value}' is not a split; write version=percent pairs, e.g. 5=90,6=10.`)
    result[match[1]!] = Number(match[2])
  }
  return result
}

const UNIT_BYTES: Record<string, number> = { '': 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 }

/** '64MiB', '512k', '1g' or plain bytes → bytes (binary units). */
export function byteSize(value: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(value.trim())
  const unit = UNIT_BYTES[(match?.[2] ?? '').toLowerCase()]
  if (!match || unit === undefined || Number(match[1]) < 1) throw new InvalidArgumentError(`'${value}' is not a size; use e.g. 64MiB, 512KiB or 1048576.`)
  return Number(match[1]) * unit
}
