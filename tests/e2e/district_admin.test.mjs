// A district admin logs in, sees only its district's subtree, adds a teaching point, finds it
// in the tree and in the audit log; the menu is reachable on a phone-size screen.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const require = createRequire(process.env.NODE_PATH + '/')
const { chromium } = require('playwright-core')
const URL = process.env.KEPU_URL
let browser

before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
})
after(async () => { await browser?.close() })

async function loginAs(page, username, password) {
  await page.goto(URL + '/login')
  await page.fill('input[data-test=login-username]', username)
  await page.fill('input[data-test=login-password]', password)
  await page.click('[data-test=login-submit]')
  await page.waitForSelector('[data-test=side-menu]', { timeout: 30000 })
}

async function shot(page, name) {
  await page.screenshot({ path: `${process.env.E2E_OUT}/${name}.png`, fullPage: true }).catch(() => {})
}

test('district admin sees its subtree and adds a teaching point', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  try {
    await loginAs(page, 'd500103_admin', 'Demo@2026kepu')
    await page.click('[data-test=menu-orgs]')
    const tree = page.locator('[data-test=org-tree]')
    await tree.getByText('渝中区', { exact: true }).waitFor({ timeout: 30000 })
    const text = await tree.innerText()
    assert.ok(!text.includes('江北区'), 'another district leaks into the tree')
    assert.ok(!text.includes('重庆市科协'), 'the city leaks into the tree')

    const name = `E2E测试教学点-${Date.now()}`
    await tree.getByText('渝中区', { exact: true }).click()
    await page.click('[data-test=org-add-child]')
    await page.fill('input[data-test=org-form-name]', name)
    await page.click('[data-test=org-form-submit]')
    await page.fill('input[data-test=org-search]', name)
    await tree.getByText(name, { exact: true }).waitFor({ timeout: 30000 })

    await page.click('[data-test=menu-audit]')
    const table = page.locator('[data-test=audit-table]')
    await table.getByText(name).first().waitFor({ timeout: 30000 })
    const row = await table.locator('tr', { hasText: name }).first().innerText()
    assert.match(row, /create/)
    await shot(page, 'audit')
  } catch (e) {
    await shot(page, 'failure-desktop')
    throw e
  } finally {
    await page.close()
  }
})

test('the menu is reachable on a phone screen', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
  try {
    await page.goto(URL + '/login')
    await page.fill('input[data-test=login-username]', 'd500103_admin')
    await page.fill('input[data-test=login-password]', 'Demo@2026kepu')
    await page.click('[data-test=login-submit]')
    await page.click('[data-test=menu-toggle]', { timeout: 30000 })
    await page.click('[data-test=menu-orgs]')
    await page.locator('[data-test=org-tree]').getByText('渝中区', { exact: true }).waitFor({ timeout: 30000 })
    await shot(page, 'phone')
  } catch (e) {
    await shot(page, 'failure-phone')
    throw e
  } finally {
    await page.close()
  }
})
