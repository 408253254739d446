import { expect } from 'vitest'

/** Asserts `run` refuses its input as INVALID_INPUT with a message that contains each of `fragments`. */
export function expectInvalidInput(run: () => unknown, ...fragments: string[]): void {
  expect(run).toThrow(
    expect.objectContaining({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(new RegExp(fragments.map((fragment) => `(?=[\\s\\S]*${escapeRegExp(fragment)})`).join(''))),
    }),
  )
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
