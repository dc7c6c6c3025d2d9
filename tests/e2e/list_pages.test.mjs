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
  ['/questions', 'question-table'],   // issue 17 A: the question bank
  ['/contests', 'contests-table'],   // issue 17 E: the contests
  ['/resources', 'resource-table'],   // issue 18 U: the resource library
  ['/screens', 'screens-table'],   // issue 18 D: 科普e站
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
    // The field is still in error from the empty submit ("required"): wait for the server's text.
    const error = dialog.locator('.el-form-item.is-error', { has: page.locator('[data-test=user-form-username]') })
    await error.locator('.el-form-item__error', { hasText: /用户名已存在/ }).waitFor(WAIT)
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

// The column settings of the shared toolbar: a hidden column leaves the table and stays hidden
// after a reload (kept per page in the browser); the reset shows it again.
test('a column hidden in the column settings stays hidden after a reload', TEST, async () => {
  await withPage('list-columns', { width: 1280, height: 900 }, async (page) => {
    await login(page, USER, PASSWORD)
    await page.goto(`${URL_BASE}/users`)
    await (await rowsOf(page, 'user-table')).first().waitFor(WAIT)
    const headers = () => page.locator('[data-test=user-table] .el-table__header th').allInnerTexts()
    const before = await headers()
    await page.click('[data-test=user-columns]')
    const toggle = page.locator('[data-test=column-toggle-phone]')
    await toggle.waitFor(WAIT)
    const label = (await toggle.innerText()).trim()
    assert.ok(before.some((h) => h.trim() === label), `the phone column "${label}" is shown at first`)
    await toggle.click()
    await page.waitForFunction((l) => ![...document.querySelectorAll('[data-test=user-table] .el-table__header th')]
      .some((th) => th.innerText.trim() === l), label, WAIT)
    assert.equal((await headers()).length, before.length - 1, 'one column less')

    await page.reload()
    await (await rowsOf(page, 'user-table')).first().waitFor(WAIT)
    const after = await headers()
    assert.ok(!after.some((h) => h.trim() === label), 'still hidden after a reload')
    assert.equal(after.length, before.length - 1)

    await page.click('[data-test=user-columns]')
    await page.click('[data-test=user-columns-reset]')
    await page.waitForFunction((l) => [...document.querySelectorAll('[data-test=user-table] .el-table__header th')]
      .some((th) => th.innerText.trim() === l), label, WAIT)
    assert.deepEqual((await headers()).map((h) => h.trim()), before.map((h) => h.trim()), 'the reset shows every column in its place')
  })
})

// Filters and the page live in the address: a search and a page change are in the URL, and a
// reload (or the same link) shows the same filtered page.
test('a list keeps its filters and page in the address across a reload', TEST, async () => {
  await withPage('list-url', { width: 1280, height: 900 }, async (page) => {
    await login(page, USER, PASSWORD)
    await page.goto(`${URL_BASE}/users`)
    await (await rowsOf(page, 'user-table')).first().waitFor(WAIT)
    await page.fill('input[data-test=user-search]', 'd500103_admin')
    await page.click('[data-test=user-search-submit]')
    await page.waitForURL(/[?&]q=d500103_admin/, WAIT)
    await page.reload()
    await page.locator('[data-test=user-edit-d500103_admin]').waitFor(WAIT)
    assert.equal(await page.inputValue('input[data-test=user-search]'), 'd500103_admin', 'the search box after a reload')
    await page.waitForFunction(() => document.querySelectorAll('[data-test=user-table] .el-table__body tr.el-table__row').length === 1, null, WAIT)

    // The reset empties the address; page 2 of the whole list is in it and survives a reload.
    await page.click('[data-test=user-reset]')
    await page.waitForURL((u) => !u.search.includes('q='), WAIT)
    await page.locator('.pager .el-pager li', { hasText: /^2$/ }).click()
    await page.waitForURL(/[?&]page=2/, WAIT)
    const second = await (await rowsOf(page, 'user-table')).first().innerText()
    await page.reload()
    await page.locator('.pager .el-pager li.is-active', { hasText: /^2$/ }).waitFor(WAIT)
    await (await rowsOf(page, 'user-table')).first().waitFor(WAIT)
    assert.equal(await (await rowsOf(page, 'user-table')).first().innerText(), second, 'the same page after a reload')

    // A select filter too (the activities list, whose address names are the server's).
    await page.goto(`${URL_BASE}/activities?from=2000-01-01&to=2000-01-31`)
    await rowsOf(page, 'activity-table')
    assert.equal(await (await rowsOf(page, 'activity-table')).count(), 0, 'no activity in January 2000')
    await page.reload()
    assert.match(page.url(), /from=2000-01-01/)
    assert.equal(await page.locator('[data-test=activity-date-filter] input').first().inputValue(), '2000-01-01')
  })
})

// Batch selection: the checked rows are counted in the toolbar.
test('selecting rows shows their count in the toolbar', TEST, async () => {
  await withPage('list-selection', { width: 1280, height: 900 }, async (page) => {
    await login(page, USER, PASSWORD)
    await page.goto(`${URL_BASE}/users`)
    const rows = await rowsOf(page, 'user-table')
    await rows.nth(1).waitFor(WAIT)
    assert.equal(await page.locator('[data-test=list-selected]').count(), 0, 'no count before a selection')
    await rows.nth(0).locator('.el-checkbox').click()
    await rows.nth(1).locator('.el-checkbox').click()
    await page.locator('[data-test=list-selected]', { hasText: '2' }).waitFor(WAIT)
    assert.match(await page.locator('[data-test=list-selected]').innerText(), /已选 2 项|2 selected/)
    // The header's box selects the whole page.
    await page.locator('[data-test=user-table] .el-table__header .el-checkbox').click()
    await page.locator('[data-test=list-selected]', { hasText: String(await rows.count()) }).waitFor(WAIT)
  })
})
