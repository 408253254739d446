import type { Page } from '@canon/api'

/** Walks every page by following `nextCursor`, yielding items one by one. */
export async function* iteratePages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, firstCursor?: string): AsyncGenerator<T> {
  let cursor = firstCursor
  for (;;) {
    const page = await fetchPage(cursor)
    yield* page.items
    if (!page.nextCursor) return
    cursor = page.nextCursor
  }
}
