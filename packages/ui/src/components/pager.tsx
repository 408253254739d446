import { useLocation, useSearchParams } from 'react-router'

/**
 * Cursor pagination kept in the URL (`cursor=`), so a page can be shared; the cursors of earlier pages travel in the
 * history state, so "Previous" works without the server counting offsets.
 */
export function usePager(param = 'cursor') {
  const [params, setParams] = useSearchParams()
  const location = useLocation()
  const earlier: (string | null)[] = (location.state as { earlier?: (string | null)[] } | null)?.earlier ?? []
  const cursor = params.get(param) ?? undefined
  const go = (next: string | null, stack: (string | null)[]) => {
    const copy = new URLSearchParams(params)
    if (next) copy.set(param, next)
    else copy.delete(param)
    setParams(copy, { state: { earlier: stack } })
  }
  return {
    cursor,
    page: earlier.length + 1,
    next: (nextCursor: string) => go(nextCursor, [...earlier, cursor ?? null]),
    previous: earlier.length > 0 || cursor ? () => go(earlier.at(-1) ?? null, earlier.slice(0, -1)) : undefined,
  }
}

export function Pager({ pager, nextCursor, label }: { pager: ReturnType<typeof usePager>; nextCursor: string | null | undefined; label: string }) {
  if (!pager.previous && !nextCursor) return null
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={pager.previous} disabled={!pager.previous}>
        ← Previous
      </button>
      <span>Page {pager.page}</span>
      <button type="button" onClick={() => nextCursor && pager.next(nextCursor)} disabled={!nextCursor}>
        Next →
      </button>
    </nav>
  )
}
