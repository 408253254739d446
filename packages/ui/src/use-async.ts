import { useCallback, useEffect, useState, type DependencyList } from 'react'
import { errorMessage } from './api'

export interface AsyncState<T> {
  data: T | undefined
  error: string | null
  loading: boolean
  reload(): void
}

/** Runs `load` whenever `deps` change; the newest run wins, an older answer arriving late is dropped. */
export function useAsync<T>(load: () => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const [tick, setTick] = useState(0)
  useEffect(() => {
    let live = true
    setLoading(true)
    setError(null)
    load()
      .then((value) => live && (setData(value), setLoading(false)))
      .catch((e: unknown) => live && (setError(errorMessage(e)), setLoading(false)))
    return () => {
      live = false
    }
  }, [...deps, tick])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  return { data, error, loading, reload }
}
