// Browser test (node:test + playwright-core + Debian's Chromium) of the expert pool and the
// reviewer role in the UI (issue 15, package L), on the demo city of tests/e2e/run.sh:
// (a) the admin adds an account to 专家库 with a specialty of its own, finds it by that specialty
//     (and not by another), edits its affiliation and deactivates it;
// (b) expert01 (role reviewer) logs in: its menu holds 我的评审 only, 首页 and a manager's page
//     send it to 我的评审, and no request of the pages it opens is refused with 403;
// (c) on a call's review tab the admin adds a reviewer from the pool; the same member again
//     shows the server's 409 beside the button.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WAIT, URL_BASE, useBrowser, withPage, login, pageApi } from './lib.mjs'

const ADMIN_PW = process.env.KEPU_BOOTSTRAP_ADMIN_PASSWORD || 'E2E-Admin-2026'
const DEMO_PW = 'Demo@2026kepu'
const DESK = { width: 1366, height: 900 }
const api = pageApi
const TAG = String(Date.now()).slice(-6)

useBrowser()

async function ok(res, what) {
  assert.ok(res.status >= 200 && res.status < 300, `${what}: ${res.status} ${JSON.stringify(res.json)}`)
  return res.json
}

// An el-input's or el-select's text field by its data-test (on the input or on its wrapper).
const field = (page, name) => page.locator(`[data-test=${name}] input, input[data-test=${name}]`).first()

// The rows of the pool table, as their text.
const poolRows = (page) => page.locator('[data-test=expert-table] .el-table__body tr')

test('(a) the admin adds a pool member, finds it by specialty, edits and deactivates it', async () => {
  await withPage('experts-pool', DESK, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    // an account of the scope not yet in the pool: a staff user of the demo
    const users = await ok(await api(page, 'GET', '/users?role=staff&active=true&page_size=50'), 'users')
    const pool = await ok(await api(page, 'GET', '/experts?page_size=100'), 'pool')
    const taken = new Set(pool.items.map((x) => x.user_id))
    const acct = users.items.find((u) => !taken.has(u.id))
    assert.ok(acct, 'a staff account outside the pool')
    const specialty = `天文${TAG}`

    await page.click('[data-test=menu-experts]')
    await page.waitForURL(/\/experts/)
    await page.click('[data-test=expert-add]')
    await page.locator('[data-test=expert-account]').click()
    await page.keyboard.type(acct.username)
    await page.locator('.el-select-dropdown__item:visible', { hasText: acct.username }).first().click()
    await field(page, 'expert-name').fill(`专家${TAG}`)
    await page.locator('[data-test=expert-specialties]').click()
    await page.keyboard.type(specialty)
    await page.keyboard.press('Enter')
    await page.locator('[data-test=expert-specialties] .el-tag', { hasText: specialty }).waitFor(WAIT)
    await field(page, 'expert-affiliation').fill('重庆科技馆')
    await page.click('[data-test=expert-save]')
    await page.locator('.el-message--success').first().waitFor(WAIT)

    // found by its specialty, exactly; another specialty leaves it out
    await field(page, 'experts-specialty').fill(specialty)
    await page.click('[data-test=experts-search-submit]')
    await poolRows(page).filter({ hasText: `专家${TAG}` }).waitFor(WAIT)
    assert.equal(await poolRows(page).count(), 1, 'one member of that specialty')
    await field(page, 'experts-specialty').fill(`${specialty}x`)
    await page.click('[data-test=experts-search-submit]')
    await page.locator('[data-test=expert-table] .el-table__empty-text').waitFor(WAIT)

    // the server holds what the form sent
    const saved = await ok(await api(page, 'GET', `/experts?specialty=${encodeURIComponent(specialty)}`), 'by specialty')
    assert.equal(saved.items.length, 1)
    assert.equal(saved.items[0].user_id, acct.id)
    assert.deepEqual(saved.items[0].specialties, [specialty])
    assert.equal(saved.items[0].affiliation, '重庆科技馆')

    // edited: a new affiliation shows in the row and on the server
    await field(page, 'experts-specialty').fill(specialty)
    await page.click('[data-test=experts-search-submit]')
    const row = poolRows(page).filter({ hasText: `专家${TAG}` })
    await row.locator('[data-test=expert-edit]').click()
    await field(page, 'expert-affiliation').fill('重庆大学')
    await page.click('[data-test=expert-save]')
    await row.filter({ hasText: '重庆大学' }).waitFor(WAIT)
    assert.equal((await ok(await api(page, 'GET', `/experts/${saved.items[0].id}`), 'edited')).affiliation, '重庆大学')

    // deactivated from the list: the row says 已停用 and the server agrees
    await row.locator('[data-test=expert-toggle]').click()
    await page.locator('.kepu-confirm .el-button--primary').click()
    await row.filter({ hasText: '已停用' }).waitFor(WAIT)
    const after = await ok(await api(page, 'GET', `/experts/${saved.items[0].id}`), 'member')
    assert.equal(after.active, false)
  })
})

test('(b) expert01 sees only 我的评审 and is never sent to a page that refuses it', async () => {
  await withPage('experts-reviewer', DESK, async (page) => {
    const refused = []
    page.on('response', (res) => { if (res.status() === 403) refused.push(res.url()) })
    await login(page, 'expert01', DEMO_PW)
    await page.waitForURL(/\/reviews/)
    const items = await page.locator('[data-test=side-menu] [data-test^=menu-]:not([data-test^=menu-group])')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-test')))
    assert.deepEqual(items, ['menu-reviews'], 'the reviewer menu')
    await page.locator('[data-test=side-menu]', { hasText: '我的评审' }).waitFor(WAIT)
    // 首页 and a manager's page go to 我的评审; the profile opens
    for (const path of ['/', '/experts', '/teachers']) {
      await page.goto(`${URL_BASE}${path}`)
      await page.waitForURL(/\/reviews$/)
    }
    await page.goto(`${URL_BASE}/profile`)
    await page.waitForURL(/\/profile$/)
    await page.waitForLoadState('networkidle')
    assert.deepEqual(refused, [], 'no request refused with 403')
  })
})

test('(c) a call reviewer from the pool; the same member again shows the 409', async () => {
  await withPage('experts-call', DESK, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    const templates = await ok(await api(page, 'GET', '/call-templates?page_size=100'), 'templates')
    const tpl = templates.items.find((x) => x.code === 'lecture_collection')
    const me = await ok(await api(page, 'GET', '/me'), 'me')
    const year = new Date().getFullYear()
    const call = await ok(await api(page, 'POST', '/calls', {
      template_id: tpl.id, org_id: me.org_id, year, title: `专家库评审${TAG}`, deadline: `${year + 1}-01-31`,
    }), 'call')
    await ok(await api(page, 'POST', `/calls/${call.id}/open`), 'open')
    const pool = await ok(await api(page, 'GET', '/experts?active=true&page_size=100'), 'pool')
    const member = pool.items.find((x) => x.username === 'expert03')
    assert.ok(member, 'expert03 in the pool')

    await page.goto(`${URL_BASE}/calls/${call.id}?tab=review`)
    const addFromPool = async () => {
      await page.locator('[data-test=reviewer-pool-pick]').click()
      await page.keyboard.type(member.name)
      await page.locator('.el-select-dropdown__item:visible', { hasText: member.name }).first().click()
      await page.click('[data-test=reviewer-pool-add]')
    }
    await addFromPool()
    await page.locator('[data-test=reviewer-table] .el-table__body tr', { hasText: member.name }).waitFor(WAIT)
    const reviewers = await ok(await api(page, 'GET', `/calls/${call.id}/reviewers`), 'reviewers')
    assert.ok(reviewers.items.some((r) => r.user_id === member.user_id), 'the member reviews the call')
    await addFromPool()
    const err = page.locator('[data-test=reviewer-pool-error]')
    await err.waitFor(WAIT)
    assert.ok((await err.textContent()).trim().length > 0, 'the 409 message')
  })
})

test('(d) a funded unit writes and submits a report; the admin opens a performance round; the grade shows', { timeout: 400000 }, async () => {
  await withPage('experts-reports', DESK, async (admin) => {
    await login(admin, 'admin', ADMIN_PW)
    // the demo's funded key projects (last year's final call): an entry with a report kind to write
    const calls = await ok(await api(admin, 'GET', '/calls?status=final&page_size=100'), 'calls')
    let pick = null
    for (const c of calls.items.filter((x) => x.template_code === 'key_project')) {
      const funds = await ok(await api(admin, 'GET', `/calls/${c.id}/funds`), 'funds')
      for (const f of funds.entries || []) {
        const reps = await ok(await api(admin, 'GET', `/entries/${f.entry_id}/reports`), 'reports')
        const kind = ['midterm', 'final'].find((k) => !reps.items.some((r) => r.kind === k))
        if (kind && !pick) pick = { call: c, entryId: f.entry_id, kind }
      }
    }
    assert.ok(pick, 'a funded entry with a report to write')
    const entry = await ok(await api(admin, 'GET', `/entries/${pick.entryId}`), 'entry')
    const heads = await ok(await api(admin, 'GET', `/users?org_id=${entry.org_id}&role=org_admin&active=true`), 'unit admins')
    assert.ok(heads.items.length, 'the unit has an admin')

    let reportId
    await withPage('experts-report-unit', DESK, async (unit) => {
      await login(unit, heads.items[0].username, DEMO_PW)
      await unit.goto(`${URL_BASE}/entries/${pick.entryId}`)
      await unit.click(`[data-test=report-new-${pick.kind}]`)
      await unit.waitForURL((u) => /\/entries\/\d+$/.test(u.pathname) && !u.pathname.endsWith(`/${pick.entryId}`))
      reportId = Number(unit.url().split('/').pop())
      for (const k of ['progress', 'spending', 'effect']) {
        await unit.locator(`[data-test=entry-input-${k}] textarea, textarea[data-test=entry-input-${k}]`).first().fill(`${k} 按计划完成`)
      }
      await unit.click('[data-test=entry-submit]')
      await unit.locator('.kepu-confirm .el-button--primary').click()
      await unit.locator('[data-test=entry-status]', { hasText: '已提交' }).waitFor(WAIT)
    })
    const rep = await ok(await api(admin, 'GET', `/entries/${reportId}`), 'report')
    assert.equal(rep.kind, pick.kind)
    assert.equal(rep.status, 'submitted')

    // the admin opens the performance round from the entry on the call's page
    await admin.goto(`${URL_BASE}/calls/${pick.call.id}?tab=entries`)
    // the entry itself, not its reports (titled 「title・中期报告」)
    await admin.locator('[data-test=entry-open]').filter({ hasText: new RegExp(`^\\s*${entry.title}\\s*$`) }).first().click()
    await admin.click('[data-test=perf-round-open]')
    const msg = admin.locator('[data-test=report-message]')
    await msg.waitFor(WAIT)
    const m = /第 (\d+) 轮/.exec(await msg.textContent())
    assert.ok(m, `round opened: ${await msg.textContent()}`)
    const roundNo = Number(m[1])
    const assigned = await ok(await api(admin, 'POST', `/calls/${pick.call.id}/assignments`, { auto: true, per_entry: 1 }), 'auto')
    assert.ok(assigned.assigned >= 1, 'sheets assigned')

    // each sheet of the round scored in full by its reviewer, through the API
    const sheets = (await ok(await api(admin, 'GET', `/calls/${pick.call.id}/assignments?page_size=100`), 'sheets')).items
      .filter((s) => s.round_no === roundNo && s.status !== 'submitted')
    assert.ok(sheets.length >= 1, 'the round has sheets')
    for (const s of sheets) {
      const u = await ok(await api(admin, 'GET', `/users/${s.user_id}`), 'reviewer')
      await withPage(`experts-sheet-${s.id}`, DESK, async (rv) => {
        await login(rv, u.username, DEMO_PW)
        const sheet = await ok(await api(rv, 'GET', `/reviews/${s.id}`), 'sheet')
        const scores = Object.fromEntries(sheet.scores.map((c) => [c.key, { score: c.max }]))
        await ok(await api(rv, 'POST', `/reviews/${s.id}/submit`, { scores }), 'submit sheet')
      })
    }
    await ok(await api(admin, 'POST', `/calls/${pick.call.id}/rounds/${roundNo}/close`), 'close round')

    // the grade on the entry's page: the report's and the entry's
    await admin.goto(`${URL_BASE}/entries/${pick.entryId}`)
    await admin.locator('[data-test=report-grade]', { hasText: '优秀' }).first().waitFor(WAIT)
    await admin.locator('[data-test=entry-grade]', { hasText: '优秀' }).waitFor(WAIT)
  })
})
