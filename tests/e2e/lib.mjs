// Shared by the browser tests (run by tests/e2e/run.sh, which starts a demo server and sets
// KEPU_URL, and E2E_OUT where screenshots of failures go): Debian's Chromium driven by
// playwright-core from web/node_modules, a fresh browser context per page, and the login form.
import { before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const require = createRequire(new URL('../../web/package.json', import.meta.url))
const { chromium } = require('playwright-core')

export const URL_BASE = process.env.KEPU_URL || 'http://127.0.0.1:8080'
export const OUT = process.env.E2E_OUT || '/tmp'
export const WAIT = { timeout: 30000 } // generous: CI runs the server under load
export const TEST = { timeout: 180000 }

let browser

// Call once at the top of a test file: one browser for all its tests.
export function useBrowser() {
  before(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    })
  })
  after(async () => { await browser?.close() })
}

// A page in a fresh context (own storage), with a screenshot saved when `body` fails and a
// failure when the page threw anything uncaught.
export async function withPage(name, viewport, body) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await context.newPage()
  page.setDefaultTimeout(WAIT.timeout)
  const errors = []
  page.on('pageerror', (e) => errors.push(e.message))
  try {
    await body(page)
    assert.deepEqual(errors, [], 'uncaught errors in the page')
  } catch (e) {
    await page.screenshot({ path: `${OUT}/failure-${name}.png`, fullPage: true }).catch(() => {})
    throw e
  } finally {
    await context.close()
  }
}

// Fills and sends the login form (the answer is the caller's to check).
export async function submitLogin(page, username, password) {
  await page.goto(`${URL_BASE}/login`)
  await page.fill('input[data-test=login-username]', username)
  await page.fill('input[data-test=login-password]', password)
  await page.click('[data-test=login-submit]')
}

// Logs in and waits for the layout: the side menu on a desktop, the hamburger on a phone.
export async function login(page, username, password) {
  await submitLogin(page, username, password)
  await page.locator('[data-test=side-menu], [data-test=menu-toggle]').first().waitFor(WAIT)
}

// A JSON call with the page's session, as the UI makes it: the HttpOnly kepu_session cookie
// (the browser sends it; no script can read it) and, for a change, the X-CSRF-Token header
// with the session's token from GET /auth/csrf. Resolves { status, json }.
export function pageApi(page, method, path, body) {
  return page.evaluate(async ([m, p, b]) => {
    const headers = {}
    if (!['GET', 'HEAD'].includes(m)) {
      const res = await fetch('/api/v1/auth/csrf')
      if (res.ok) headers['X-CSRF-Token'] = (await res.json()).csrf_token
    }
    if (b) headers['Content-Type'] = 'application/json'
    const r = await fetch(`/api/v1${p}`, { method: m, headers, body: b ? JSON.stringify(b) : undefined })
    return { status: r.status, json: await r.json().catch(() => null) }
  }, [method, path, body])
}
