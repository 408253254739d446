import type { Command } from 'commander'
import { CanonClient, type User } from '@canon/sdk'
import { contextOf } from '../context'
import { forgetLogin, saveLogin } from '../credentials'
import { UsageError } from '../failure'
import { positiveInteger } from '../parse'
import { table } from '../format'

const grantsText = (user: User) => user.grants.map((g) => `${g.role}@${g.scope}`).join(', ') || '-'

export function registerIdentityCommands(program: Command): void {
  program
    .command('login <token>')
    .description('check an API token (printed at the first start with auth on, or from `canon tokens create`) and remember it and the server URL (~/.config/canon/credentials.json)')
    .action(async (token: string, _flags: unknown, command: Command) => {
      const ctx = contextOf(command)
      const me = await new CanonClient({ url: ctx.canon.url, token }).identities.whoami()
      const file = await saveLogin({ url: ctx.canon.url, token })
      if (ctx.json) ctx.printJson({ ...me, saved: file })
      else ctx.out(`Logged in to ${ctx.canon.url} as ${me.name} (${me.grants.map((g) => `${g.role}@${g.scope}`).join(', ') || 'no grants'}); saved to ${file}.\n`)
    })

  program
    .command('logout')
    .description('forget the saved login')
    .action(async (_flags: unknown, command: Command) => {
      await forgetLogin()
      if (!command.optsWithGlobals<{ json?: boolean }>().json) process.stdout.write('Logged out.\n')
    })

  program
    .command('whoami')
    .description('who the CLI acts as on the server, and with which grants')
    .action(async (_flags: unknown, command: Command) => {
      const ctx = contextOf(command)
      const me = await ctx.canon.identities.whoami()
      if (ctx.json) ctx.printJson(me)
      else ctx.out(`${me.name}${me.authEnabled ? '' : ' (auth is off: single-user mode)'}\ngrants: ${me.grants.map((g) => `${g.role}@${g.scope}`).join(', ') || 'none'}\n`)
    })

  const users = program.command('users').description('manage users and service accounts, and their grants (admin)')
  users
    .command('create <name>')
    .option('--service', 'a service account (for CI and deployments) instead of a person')
    .description('create a user; then `canon users grant` and `canon tokens create --user`')
    .action(async (name: string, flags: { service?: boolean }, command: Command) => {
      const ctx = contextOf(command)
      const user = await ctx.canon.identities.createUser(name, flags.service ? 'service' : 'user')
      if (ctx.json) ctx.printJson(user)
      else ctx.out(`Created ${user.kind} '${user.name}'.\n`)
    })
  users
    .command('list')
    .description('every user with their grants')
    .action(async (_flags: unknown, command: Command) => {
      const ctx = contextOf(command)
      const list = await ctx.canon.identities.listUsers()
      if (ctx.json) ctx.printJson(list)
      else ctx.out(table(['NAME', 'KIND', 'GRANTS', 'DISABLED', 'CREATED BY'], list.map((u) => [u.name, u.kind, grantsText(u), u.disabled ? 'yes' : '', u.createdBy])))
    })
  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    users
      .command(`${verb} <name>`)
      .description(`${verb} a user (a disabled user's tokens stop working)`)
      .action(async (name: string, _flags: unknown, command: Command) => {
        const ctx = contextOf(command)
        const user = await ctx.canon.identities.setDisabled(name, disabled)
        if (ctx.json) ctx.printJson(user)
        else ctx.out(`User '${name}' ${disabled ? 'disabled' : 'enabled'}.\n`)
      })
  }
  users
    .command('grant <name> <role> [scope]')
    .description("grant viewer, editor, approver or admin on '*' (default), a model, or a prefix like 'fraud-*'")
    .action(async (name: string, role: string, scope: string | undefined, _flags: unknown, command: Command) => {
      const ctx = contextOf(command)
      if (!['viewer', 'editor', 'approver', 'admin'].includes(role)) throw new UsageError(`role must be viewer, editor, approver or admin; got '${role}'`)
      const user = await ctx.canon.identities.grant(name, role as 'viewer', scope ?? '*')
      if (ctx.json) ctx.printJson(user)
      else ctx.out(`${name} now has: ${grantsText(user)}.\n`)
    })
  users
    .command('revoke <name> <role> [scope]')
    .description('take a grant away')
    .action(async (name: string, role: string, scope: string | undefined, _flags: unknown, command: Command) => {
      const ctx = contextOf(command)
      await ctx.canon.identities.revokeGrant(name, role, scope ?? '*')
      if (ctx.json) ctx.printJson({ revoked: { user: name, role, scope: scope ?? '*' } })
      else ctx.out(`Revoked ${role}@${scope ?? '*'} from ${name}.\n`)
    })

  const tokens = program.command('tokens').description('API tokens: create (shown once), list, revoke')
  const userOf = async (command: Command, flag: string | undefined) => flag ?? (await contextOf(command).canon.identities.whoami()).name
  tokens
    .command('create <name>')
    .option('--user <user>', 'for another user (admin); default: yourself')
    .option('--expires-in-days <days>', 'expire after this many days', positiveInteger)
    .description('create a token; it is printed once and only its hash is kept')
    .action(async (name: string, flags: { user?: string; expiresInDays?: number }, command: Command) => {
      const ctx = contextOf(command)
      const created = await ctx.canon.identities.createToken(await userOf(command, flags.user), name, flags.expiresInDays)
      if (ctx.json) ctx.printJson(created)
      else ctx.out(`Token ${created.id} '${created.name}'${created.expiresAt ? ` (expires ${created.expiresAt})` : ''}. Copy it now; it is not shown again:\n\n  ${created.token}\n\n`)
    })
  tokens
    .command('list')
    .option('--user <user>', "another user's tokens (admin); default: yours")
    .description('tokens with their hints, expiry, revocation and last use (never the tokens themselves)')
    .action(async (flags: { user?: string }, command: Command) => {
      const ctx = contextOf(command)
      const list = await ctx.canon.identities.listTokens(await userOf(command, flags.user))
      if (ctx.json) ctx.printJson(list)
      else ctx.out(table(['ID', 'NAME', 'HINT', 'CREATED', 'EXPIRES', 'LAST USED', 'REVOKED'], list.map((t) => [String(t.id), t.name, `${t.hint}…`, t.createdAt, t.expiresAt ?? '-', t.lastUsedAt ?? '-', t.revokedAt ?? ''])))
    })
  tokens
    .command('revoke <id>')
    .option('--user <user>', "another user's token (admin); default: yours")
    .description('revoke a token; it stops working at once')
    .action(async (id: string, flags: { user?: string }, command: Command) => {
      const ctx = contextOf(command)
      await ctx.canon.identities.revokeToken(await userOf(command, flags.user), positiveInteger(id))
      if (ctx.json) ctx.printJson({ revoked: Number(id) })
      else ctx.out(`Token ${id} revoked.\n`)
    })
}
