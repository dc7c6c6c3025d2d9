// Browser test of the shared list-page composition and form dialog (web/src/components/list and
// components/dialog): every list page built on them loads its rows with no error in the page; the
// users list searches, pages and resets through the shared toolbar and pager; the activities list
// takes its filters from the address; and a form dialog checks its rules before sending, then puts
// a server error on the field it names, translated by its message key when the catalog knows it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { URL_BASE, WAIT, TEST, useBrowser, withPage, login } from './lib.mjs'

const USER = 'admin'
const PASSWORD = process.env.KEPU_BOOTSTRAP_ADMIN_PASSWORD || 'E2E-Admin-2026'

useBrowser()

// Route and the data-test of its table.
const LISTS = [
  ['/activities', 'activity-table'], ['/users', 'user-table'], ['/audit', 'audit-table'],
  ['/audit/logins', 'login-log-table'], ['/teachers', 'teacher-table'], ['/students', 'student-table'],
  ['/courses', 'course-agenda'], ['/plans', 'plan-table'], ['/forms', 'form-table'], ['/targets', 'target-table'],
  ['/teacher-selections', 'selection-table'], ['/volunteers', 'volunteer-table'], ['/volunteer-teams', 'team-table'],
  ['/volunteer-projects', 'vp-table'], ['/settings/dictionaries', 'dict-kinds-table'],
  ['/settings/dictionaries?tab=windows', 'dict-windows-table'],
]

// Waits for a table's loading mask to go and returns its body rows.
async function rowsOf(page, testId) {
  const table = page.locator(`[data-test=${testId}]`)
  await table.waitFor(WAIT)
  await table.locator('.el-loading-mask').first().waitFor({ ...WAIT, state: 'hidden' })
  return table.locator('.el-table__body tr.el-table__row')
}

// Sixteen pages one after the other: more time than one scenario needs on a busy machine.
test('every list page loads with the shared toolbar and pager', { timeout: 600000 }, async () => {
  await withPage('list-pages', { width: 1280, height: 900 }, async (page) => {
    await login(page, USER, PASSWORD)
    for (const [path, table] of LISTS) {
      await page.goto(`${URL_BASE}${path}`)
      await page.locator(`[data-test=${table}]`).waitFor(WAIT)
      if (path !== '/settings/dictionaries') { // the kinds tab has a toolbar row only
        assert.ok(await page.locator('.list-toolbar .filter-bar').count() >= 1, `${path}: the shared toolbar`)
      }
    }
    // The demo city has more users than one page of 10: the full pager pages through them.
    await page.goto(`${URL_BASE}/users`)
    const rows = await rowsOf(page, 'user-table')
    await rows.first().waitFor(WAIT)
    const total = Number((await page.locator('.pager .el-pagination__total').innerText()).replace(/\D/g, ''))
    assert.ok(total > 20, `the demo has more than 20 users (${total})`)
    assert.equal(await rows.count(), 20, 'the first page holds 20 rows')
    await page.locator('.pager .el-pager li', { hasText: /^2$/ }).click()
    await page.locator('.pager .el-pager li.is-active', { hasText: /^2$/ }).waitFor(WAIT)
    assert.equal(await (await rowsOf(page, 'user-table')).count(), Math.min(20, total - 20), 'page 2')
  })
})

test('the toolbar searches and resets; the activities list takes filters from the address', TEST, async () => {
  await withPage('list-toolbar', { width: 1280, height: 900 }, async (page) => {
    await login(page, USER, PASSWORD)
    await page.goto(`${URL_BASE}/users`)
    await (await rowsOf(page, 'user-table')).first().waitFor(WAIT)
    await page.fill('input[data-test=user-search]', 'd500103_admin')
    await page.click('[data-test=user-search-submit]')
    await page.locator('[data-test=user-edit-d500103_admin]').waitFor(WAIT)
    let rows = await rowsOf(page, 'user-table')
    await page.waitForFunction(() => document.querySelectorAll('[data-test=user-table] .el-table__body tr.el-table__row').length === 1, null, WAIT)
    assert.equal(await rows.count(), 1, 'one user matches')
    await page.click('[data-test=user-reset]')
    await page.waitForFunction(() => document.querySelectorAll('[data-test=user-table] .el-table__body tr.el-table__row').length > 1, null, WAIT)
    assert.equal(await page.inputValue('input[data-test=user-search]'), '', 'reset empties the search')
    rows = await rowsOf(page, 'user-table')
    assert.ok(await rows.count() > 1, 'reset shows every user again')

    // A keyword nobody uses, from the address: it is in the search box and the list is empty.
    const keyword = `无此活动${Date.now()}`
    await page.goto(`${URL_BASE}/activities?q=${encodeURIComponent(keyword)}`)
    await rowsOf(page, 'activity-table')
    assert.equal(await page.inputValue('[data-test=activity-search] input'), keyword)
    assert.equal(await (await rowsOf(page, 'activity-table')).count(), 0)
  })
})

// Opens the add-user dialog and fills it for the existing user name "admin".
async function fillDuplicateUser(page) {
  await page.goto(`${URL_BASE}/users`)
  await page.click('[data-test=user-add]')
  const dialog = page.locator('.el-dialog[data-test=user-dialog]')
  await dialog.waitFor(WAIT)
  return dialog
}

test('a form dialog checks its rules, then shows the server error on its field', TEST, async () => {
  await withPage('form-dialog', { width: 1280, height: 900 }, async (page) => {
    await login(page, USER, PASSWORD)
    const dialog = await fillDuplicateUser(page)
    // Nothing filled: the rules stop the dialog before any request.
    let posted = 0
    page.on('request', (req) => { if (req.method() === 'POST' && req.url().endsWith('/api/v1/users')) posted += 1 })
    await page.click('[data-test=user-form-submit]')
    await dialog.locator('.el-form-item.is-error').first().waitFor(WAIT)
    assert.equal(posted, 0, 'no request with the rules broken')

    await page.fill('input[data-test=user-form-username]', 'admin')
    await page.fill('input[data-test=user-form-name]', 'E2E 重名')
    await page.fill('input[data-test=user-form-password]', 'E2E-Long-Password-1')
    await page.click('[data-test=user-form-submit]')
    const error = dialog.locator('.el-form-item.is-error', { has: page.locator('[data-test=user-form-username]') })
    await error.waitFor(WAIT)
    assert.match(await error.locator('.el-form-item__error').innerText(), /用户名已存在/)
    assert.equal(posted, 1)
    assert.ok(await dialog.isVisible(), 'the dialog stays open')
  })

  // The same refusal with a message key the catalog knows: the field shows the catalog's text.
  await withPage('form-dialog-key', { width: 1280, height: 900 }, async (page) => {
    await page.route('**/api/v1/messages', (route) => route.fulfill({
      status: 200, contentType: 'application/json',
      body: JSON.stringify({ messages: { 'users.duplicate': { zh: '用户名“{0}”已被占用', en: 'User name {0} is taken' } } }),
    }))
    await page.route('**/api/v1/users', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback()
      const res = await route.fetch()
      const body = await res.json()
      body.error.message_key = 'users.duplicate'
      body.error.params = ['admin']
      return route.fulfill({ response: res, body: JSON.stringify(body) })
    })
    await login(page, USER, PASSWORD)
    const dialog = await fillDuplicateUser(page)
    await page.fill('input[data-test=user-form-username]', 'admin')
    await page.fill('input[data-test=user-form-name]', 'E2E 重名')
    await page.fill('input[data-test=user-form-password]', 'E2E-Long-Password-1')
    await page.click('[data-test=user-form-submit]')
    const error = dialog.locator('.el-form-item.is-error', { has: page.locator('[data-test=user-form-username]') })
    await error.waitFor(WAIT)
    assert.equal((await error.locator('.el-form-item__error').innerText()).trim(), '用户名“admin”已被占用')
  })
})
