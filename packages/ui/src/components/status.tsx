import type { ReactNode } from 'react'

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="status loading" role="status" aria-live="polite">
      {what}…
    </p>
  )
}

export function ErrorBox({ error, retry }: { error: string; retry?: () => void }) {
  return (
    <div className="status error" role="alert">
      <span>{error}</span>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  )
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="status empty">{children}</p>
}

/** Loading, error or the content: the three states every fetched view has. */
export function Loaded<T>({ state, children, what }: { state: { data: T | undefined; error: string | null; loading: boolean; reload(): void }; what?: string; children: (data: T) => ReactNode }) {
  if (state.error) return <ErrorBox error={state.error} retry={state.reload} />
  if (state.data === undefined) return <Loading what={what} />
  return <>{children(state.data)}</>
}
