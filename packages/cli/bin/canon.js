#!/usr/bin/env node
// Lets `npx canon` run the TypeScript sources directly: register tsx, then load the CLI.
import { register } from 'tsx/esm/api'

register()
await import('../src/main.ts')
