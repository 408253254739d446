import { ensureUiBuilt } from './ui-build'

/** Once per run, before any test file: the browser tests need the UI built. */
export default async function setup(): Promise<void> {
  await ensureUiBuilt()
}
