import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import type { Command } from 'commander'
import type { CardOwner, ModelCard, SetCardInput } from '@canon/sdk'
import { contextOf } from '../context'
import { UsageError } from '../failure'
import { fields, time, truncate } from '../format'
import { repeatable, versionNumber } from '../parse'

interface SetFlags {
  file?: string
  intendedUse?: string
  outOfScopeUses?: string
  trainingData?: string
  evaluationResults?: string
  limitationsAndBiases?: string
  ethicalConsiderations?: string
  owner?: string[]
  body?: string
  bodyFile?: string
}

const textFlags = ['intendedUse', 'outOfScopeUses', 'trainingData', 'evaluationResults', 'limitationsAndBiases', 'ethicalConsiderations'] as const
/** what `card get --json` prints besides the card itself, so its output can be edited and sent back with --file */
const readOnlyKeys = ['model', 'version', 'updatedAt', 'updatedBy', 'complete', 'missingFields', 'inheritedFields']

export function registerCardCommands(program: Command): void {
  const card = program.command('card').description('model cards: intended use, training data, evaluation, limitations, ethics, owners; per model and per version')

  card
    .command('get')
    .description("show a model's card, or a version's, and what it still lacks")
    .argument('<model>', 'model name')
    .argument('[version]', 'version number (a version card falls back to the model card)', versionNumber)
    .action(async (model: string, version: number | undefined, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const shown = await ctx.canon.cards.get(model, version)
      if (ctx.json) ctx.printJson(shown)
      else ctx.out(cardDetails(shown))
    })

  card
    .command('set')
    .description('write a card: --file replaces it with a JSON card; field flags change only those fields')
    .argument('<model>', 'model name')
    .argument('[version]', 'version number', versionNumber)
    .option('--file <card.json>', "the whole card as JSON ('-' for stdin); fields it leaves out are stored empty")
    .option('--intended-use <text>', 'what the model is for, and for whom')
    .option('--out-of-scope-uses <text>', 'uses it must not be put to')
    .option('--training-data <text>', 'data it was trained on')
    .option('--evaluation-results <text>', 'how it was evaluated and what it scored')
    .option('--limitations-and-biases <text>', 'known limitations and biases')
    .option('--ethical-considerations <text>', 'ethical considerations')
    .option('--owner <"name <contact>">', 'an owner, e.g. "Fraud ML <fraud-ml@example.com>" (repeatable; replaces the owner list)', repeatable)
    .option('--body <markdown>', 'the free-form Markdown body')
    .option('--body-file <file.md>', 'read the Markdown body from a file')
    .action(async (model: string, version: number | undefined, flags: SetFlags, command: Command) => {
      const ctx = contextOf(command)
      const changes = fieldChanges(flags)
      if (flags.file === undefined && Object.keys(changes).length === 0) throw new UsageError('say what to write: --file card.json, or one or more field flags such as --intended-use.')
      // Without --file the flags edit the current card; with it, the file is the card and flags override it.
      const base = flags.file === undefined ? editable(await ctx.canon.cards.get(model, version)) : readCardFile(flags.file)
      const saved = await ctx.canon.cards.set(model, { ...base, ...changes }, version)
      if (ctx.json) ctx.printJson(saved)
      else ctx.out(`Saved the card of ${target(model, version)}: ${status(saved)}.\n`)
    })

  card
    .command('export')
    .description('write a card as Markdown to --output or stdout (a version card takes empty fields from the model card)')
    .argument('<model>', 'model name')
    .argument('[version]', 'version number', versionNumber)
    .option('--output <card.md>', 'write to this file (replacing it) instead of stdout')
    .action(async (model: string, version: number | undefined, flags: { output?: string }, command: Command) => {
      const ctx = contextOf(command)
      const markdown = await ctx.canon.cards.export(model, version)
      if (!flags.output) return ctx.out(markdown)
      await writeFile(flags.output, markdown)
      process.stderr.write(`Wrote the card of ${target(model, version)} to ${flags.output}.\n`)
    })
}

const target = (model: string, version?: number) => (version === undefined ? `'${model}'` : `'${model}' version ${version}`)
const status = (card: ModelCard) => (card.complete ? 'complete' : `incomplete, missing ${card.missingFields.join(', ')}`)

function fieldChanges(flags: SetFlags): SetCardInput {
  const changes: SetCardInput = {}
  for (const field of textFlags) if (flags[field] !== undefined) changes[field] = flags[field]
  if (flags.owner) changes.owners = flags.owner.map(parseOwner)
  if (flags.body !== undefined && flags.bodyFile !== undefined) throw new UsageError('give the body with --body or --body-file, not both.')
  if (flags.body !== undefined) changes.body = flags.body
  if (flags.bodyFile !== undefined) changes.body = readText(flags.bodyFile)
  return changes
}

/** 'Fraud ML <fraud-ml@example.com>' → { name, contact }; a bare name has an empty contact. */
export function parseOwner(value: string): CardOwner {
  const match = /^(.*?)\s*<([^<>]*)>\s*$/.exec(value)
  const owner = match ? { name: (match[1] ?? '').trim(), contact: (match[2] ?? '').trim() } : { name: value.trim(), contact: '' }
  if (owner.name === '') throw new UsageError(`--owner '${value}' has no name; use "name <contact>".`)
  return owner
}

function editable(card: ModelCard): SetCardInput {
  return Object.fromEntries(Object.entries(card).filter(([key]) => !readOnlyKeys.includes(key))) as SetCardInput
}

function readText(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`)
  }
}

function readCardFile(file: string): SetCardInput {
  let parsed: unknown
  try {
    parsed = JSON.parse(readText(file))
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`)
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${file} must hold a JSON object with the card's fields and body.`)
  return editable(parsed as ModelCard)
}

function cardDetails(card: ModelCard): string {
  const inherited = new Set<string>(card.inheritedFields)
  const value = (field: string, text: string) => (inherited.has(field) ? '(from the model card)' : text ? truncate(text, 100) : '-')
  return fields([
    ['Card', target(card.model, card.version ?? undefined)],
    ['Status', status(card)],
    ['Updated', card.updatedAt ? `${time(card.updatedAt)} by ${card.updatedBy}` : 'never'],
    ['Intended use', value('intendedUse', card.intendedUse)],
    ['Out-of-scope uses', value('outOfScopeUses', card.outOfScopeUses)],
    ['Training data', value('trainingData', card.trainingData)],
    ['Evaluation results', value('evaluationResults', card.evaluationResults)],
    ['Limitations and biases', value('limitationsAndBiases', card.limitationsAndBiases)],
    ['Ethical considerations', value('ethicalConsiderations', card.ethicalConsiderations)],
    ['Owners', value('owners', card.owners.map((o) => (o.contact ? `${o.name} <${o.contact}>` : o.name)).join(', '))],
    ['Body', card.body ? `${card.body.split('\n').length} lines of Markdown (canon card export)` : '-'],
  ])
}
