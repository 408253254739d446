import { readFile } from 'node:fs/promises'
import { CanonClient } from '@canon/sdk'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { backends, startTestServer, type TestServer } from '../../server/test/support/backends'
import { launchBrowser, openPage, screenshot } from './support/browser'
import { seedRegistry } from './support/seed'
import { uiDist } from './support/ui-build'

// With auth on: the UI asks for a token before anything else, and offers each user only what their grants allow.

const ADMIN_TOKEN = 'ui-admin-token-0123456789abcdef'
const WAIT = { timeout: 15_000 }

describe.each(backends)('web UI (auth on) on %s', (backend) => {
  let server: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let problems: string[]
  const tokens: Record<'viewer' | 'approver' | 'editor', string> = { viewer: '', approver: '', editor: '' }

  beforeAll(async () => {
    server = await startTestServer(backend, { CANON_AUTH: 'on', CANON_ADMIN_TOKEN: ADMIN_TOKEN, CANON_UI_DIR: uiDist })
    const admin = new CanonClient({ url: server.url, token: ADMIN_TOKEN })
    for (const [role, name] of [['viewer', 'vic'], ['approver', 'ana'], ['editor', 'eddie']] as const) {
      await admin.identities.createUser(name)
      await admin.identities.grant(name, role, '*')
      tokens[role] = (await admin.identities.createToken(name, 'ui')).token
    }
    // the editor registers everything, so the approver may review it (four eyes)
    await seedRegistry(new CanonClient({ url: server.url, token: tokens.editor }))
    browser = await launchBrowser()
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1360, height: 900 }, acceptDownloads: true })
    ;({ page, problems } = await openPage(context))
  }, 120_000)
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await screenshot(page, `failed-${backend}-auth-${task.name.slice(0, 40).replace(/\W+/g, '-')}`)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  const dialog = () => page.getByRole('dialog')
  // one set of screenshots describes the UI; the other backend's run would only overwrite it
  const shoot = (p: Page, name: string) => (backend === backends[0] ? screenshot(p, name) : Promise.resolve())
  const signIn = async (token: string) => {
    await page.getByLabel('API token').fill(token)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }
  const button = (name: string) => page.getByRole('button', { name, exact: true })

  it('asks for a token first, on any page, and keeps the address', async () => {
    await page.goto('/models/churn')
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    expect(await page.getByRole('navigation', { name: 'Main' }).count(), 'no navigation before signing in').toBe(0)
    await shoot(page, '12-sign-in')
    expect(problems, 'no API call was refused on the way: the page knew to ask first').toEqual([])

    await signIn('not-a-real-token-at-all')
    await page.getByRole('alert').getByText(/UNAUTHENTICATED/).waitFor()
    // that refusal is the one 401 this file expects
    expect(problems.map((p) => p.includes('401 (Unauthorized)'))).toEqual([true])
    problems.length = 0
  })

  it('a viewer sees everything and is offered no change', async () => {
    await signIn(tokens.viewer)
    await page.getByRole('heading', { name: 'churn', exact: true, level: 1 }).waitFor()
    expect(await page.getByTestId('whoami').innerText()).toBe('vic')
    expect(page.url()).toMatch(/\/models\/churn$/)
    await page.getByTestId('versions-table').waitFor()
    for (const name of ['Upload version', 'Roll back', 'Set alias…', 'Move', 'Delete', 'Approve selected (0)', 'Cancel request']) {
      expect(await page.getByRole('button', { name, exact: true }).or(page.getByRole('link', { name, exact: true })).count(), name).toBe(0)
    }
    await shoot(page, '13-viewer-model')

    await page.goto('/models/churn/versions/3')
    await page.getByRole('heading', { name: /churn v3/ }).waitFor()
    for (const name of ['Change stage…', 'Request transition…', 'Set alias…', 'Approve', 'Reject']) expect(await button(name).count(), name).toBe(0)

    // a download carries the token: fetched with it, then handed to the browser
    await page.getByRole('tab', { name: 'Files' }).click()
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Download model.bin' }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe('model.bin')
    expect(await readFile((await file.path())!, 'utf8')).toBe('weights v3 with more bytes')

    await page.goto('/models')
    await page.getByRole('row').filter({ hasText: 'fraud' }).waitFor()
    expect(await page.getByRole('link', { name: 'Register model' }).count()).toBe(0)
    await page.goto('/approvals')
    await page.getByRole('heading', { name: 'My pending requests' }).waitFor()
    expect(await page.getByRole('heading', { name: 'Requests to review' }).count()).toBe(0)
  })

  it('an approver reviews a request from the inbox, which applies it', async () => {
    await button('Sign out').click()
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    await signIn(tokens.approver)
    await page.getByTestId('whoami').getByText('ana').waitFor()
    const request = page.getByRole('region', { name: 'Requests to review' }).getByTestId('request-1')
    await request.getByText('requested by eddie').waitFor()
    await request.locator('.gates li').first().waitFor()
    await shoot(page, '14-approver-inbox')
    await request.getByRole('button', { name: 'Approve' }).click()
    await dialog().getByLabel(/Comment/).fill('validation report read')
    await dialog().getByRole('button', { name: 'Approve' }).click()
    await expect.poll(() => page.getByTestId('request-1').count(), WAIT).toBe(0)
    const admin = new CanonClient({ url: server.url, token: ADMIN_TOKEN })
    expect((await admin.governance.getRequest(1)).status).toBe('applied')
    expect((await admin.versions.get('churn', 2)).stage).toBe('Production')

    // and rejects another, with the comment kept on the request
    const editor = new CanonClient({ url: server.url, token: tokens.editor })
    const second = await editor.governance.request('churn', 3, { kind: 'alias', target: 'challenger', comment: 'try v3' })
    await page.reload()
    const next = page.getByRole('region', { name: 'Requests to review' }).getByTestId(`request-${second.id}`)
    await next.getByRole('button', { name: 'Reject' }).click()
    await dialog().getByLabel(/Comment/).fill('not before the drift review')
    await dialog().getByRole('button', { name: 'Reject' }).click()
    await expect.poll(() => next.count(), WAIT).toBe(0)
    expect(await admin.governance.getRequest(second.id)).toMatchObject({ status: 'rejected', reviews: [{ reviewer: 'ana', decision: 'reject', comment: 'not before the drift review' }] })

    await page.goto('/models/churn/versions/3')
    await button('Approve').click()
    await dialog().getByRole('button', { name: 'Approve' }).click()
    await page.getByRole('heading', { name: /churn v3/ }).getByText('approved').waitFor()
    expect(await button('Change stage…').count(), 'approvers do not change stages').toBe(0)
  })

  it('an editor may change what they registered but not approve it', async () => {
    await button('Sign out').click()
    await signIn(tokens.editor)
    await page.getByTestId('whoami').getByText('eddie').waitFor()
    await page.goto('/models/churn/versions/1')
    await button('Change stage…').waitFor()
    expect(await button('Approve').count()).toBe(0)
    await page.goto('/models/churn')
    await page.getByRole('link', { name: 'Upload version' }).waitFor()
    await button('Roll back').waitFor()
  })

  it('kept the browser console clean', () => {
    expect(problems).toEqual([])
  })
})
