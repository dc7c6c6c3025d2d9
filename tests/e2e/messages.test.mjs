// Browser test: error replies are translated by their message_key from the catalog of
// GET /api/v1/messages (both stubbed here with page.route, so the test does not depend on which
// keys the server has): the text of the UI language with its params filled in, the catalog
// fetched once, and the reply's own message shown unchanged when the key is unknown.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { URL_BASE, WAIT, TEST, useBrowser, withPage, submitLogin } from './lib.mjs'

useBrowser()

const CATALOG = {
  messages: {
    'auth.locked': { zh: '账号已锁定，请 {0} 分钟后再试', en: 'Account locked, try again in {0} minutes' },
  },
}

// Stubs the catalog (counting its fetches) and makes the login answer 401 with `error`.
async function stub(page, error) {
  const seen = { catalog: 0 }
  await page.route('**/api/v1/messages', (route) => {
    seen.catalog += 1
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(CATALOG) })
  })
  await page.route('**/api/v1/auth/login', (route) =>
    route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error }) }))
  return seen
}

async function loginError(page) {
  await submitLogin(page, 'someone', 'some-password')
  const alert = page.locator('[data-test=login-error]')
  await alert.waitFor(WAIT)
  return (await alert.innerText()).trim()
}

const LOCKED = { code: 'account_locked', message: '账号已锁定 / Account locked', message_key: 'auth.locked', params: ['15'] }

test('an error with a known key shows the catalog text of the UI language, params filled', TEST, async () => {
  await withPage('messages-zh', { width: 1280, height: 900 }, async (page) => {
    const seen = await stub(page, LOCKED)
    assert.equal(await loginError(page), '账号已锁定，请 15 分钟后再试')
    // The second error uses the cached catalog.
    await page.fill('input[data-test=login-password]', 'again')
    await page.click('[data-test=login-submit]')
    await page.locator('[data-test=login-error]', { hasText: '15 分钟' }).waitFor(WAIT)
    assert.equal(seen.catalog, 1, 'the catalog is fetched once')
  })
  await withPage('messages-en', { width: 1280, height: 900 }, async (page) => {
    await stub(page, LOCKED)
    await page.goto(`${URL_BASE}/login`)
    await page.evaluate(() => localStorage.setItem('kepu_lang', 'en'))
    assert.equal(await loginError(page), 'Account locked, try again in 15 minutes')
  })
})

test('an error without a key, or with an unknown one, shows its own message', TEST, async () => {
  await withPage('messages-fallback', { width: 1280, height: 900 }, async (page) => {
    const seen = await stub(page, { code: 'x', message: '别的错误 / Another error', message_key: 'no.such.key' })
    assert.equal(await loginError(page), '别的错误 / Another error')
    assert.equal(seen.catalog, 1)
  })
  await withPage('messages-nokey', { width: 1280, height: 900 }, async (page) => {
    const seen = await stub(page, { code: 'x', message: '旧的错误 / Old error' })
    assert.equal(await loginError(page), '旧的错误 / Old error')
    assert.equal(seen.catalog, 0, 'no key, no catalog fetch')
  })
  await withPage('messages-nocatalog', { width: 1280, height: 900 }, async (page) => {
    await stub(page, LOCKED)
    await page.route('**/api/v1/messages', (route) => route.fulfill({ status: 404, body: '' }))
    assert.equal(await loginError(page), '账号已锁定 / Account locked')
  })
})
