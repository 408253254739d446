import { useRef } from 'react'
import { useSearchParams } from 'react-router'

/**
 * The query string as a page's state. Changes apply to the newest parameters, including ones set a moment ago and not
 * yet rendered, so two quick changes (sort, then order) both stick.
 */
export function useSearchState() {
  const [params, setParams] = useSearchParams()
  const latest = useRef(params)
  latest.current = params
  /** Sets (or, with '', removes) one parameter; any change but `keepCursor` starts again from the first page. */
  const setParam = (name: string, value: string, options: { keepCursor?: boolean } = {}) => {
    const copy = new URLSearchParams(latest.current)
    if (value) copy.set(name, value)
    else copy.delete(name)
    if (!options.keepCursor) copy.delete('cursor')
    latest.current = copy
    setParams(copy, { replace: true })
  }
  return { params, setParam }
}
