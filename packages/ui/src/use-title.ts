import { useEffect } from 'react'

/** The browser tab (and a bookmark of a shared link) names the page. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Canon` : 'Canon'
  }, [title])
}
