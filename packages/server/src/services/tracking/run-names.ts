import { randomInt } from 'node:crypto'

const ADJECTIVES = ['amazing', 'bold', 'calm', 'clever', 'dapper', 'eager', 'gentle', 'honest', 'jolly', 'keen', 'lively', 'merry', 'nimble', 'polite', 'quiet', 'rare', 'sharp', 'stable', 'tidy', 'wise']
const NOUNS = ['ant', 'bass', 'cat', 'deer', 'eel', 'fox', 'gull', 'hare', 'ibis', 'jay', 'kite', 'lark', 'mole', 'newt', 'owl', 'pug', 'ram', 'seal', 'toad', 'wren']

/** MLflow-style `adjective-noun-123` names for runs created without one. */
export function randomRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`
}
