// Browser tests of issue 14 items 6-9 (node:test + playwright-core + Debian's Chromium, on an
// office screen of 1366x768 and, for the wide tables, 1440x900): the 师资库 and 用户管理 tables
// keep their action buttons on screen and their usernames and statuses whole, print only the
// table, and name same-named teaching points with their district; a district admin's dashboard
// shows the city's per-point target and an exact share (never a rounded-up 100%); an activity is
// registered with its photo in one save; a course's teacher is picked from the pool beside a
// guest speaker marked 外聘. Run by tests/e2e/run.sh (demo server, KEPU_URL, E2E_OUT).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { URL_BASE, WAIT, TEST, useBrowser, withPage, login, pageApi } from './lib.mjs'

const ADMIN = 'admin'
const ADMIN_PASSWORD = process.env.KEPU_BOOTSTRAP_ADMIN_PASSWORD || 'E2E-Admin-2026'
const DISTRICT_ADMIN = 'd500103_admin'
const DEMO_PASSWORD = 'Demo@2026kepu'
const OFFICE = { width: 1366, height: 768 }
const WIDE = { width: 1440, height: 900 }
const LONG_USERNAME = 'e2e_wide_table_username_yuzhong'
const SAME_NAME = 'E2E同名社区教学点'
// a 1x1 PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

useBrowser()

// The districts 渝中区 and 江北区 of the demo city, from the admin's forest.
async function districts(page) {
  const { json } = await pageApi(page, 'GET', '/orgs/tree')
  const all = []
  const walk = (nodes) => nodes.forEach((n) => { all.push(n); walk(n.children || []) })
  walk(json.items)
  const byName = (name) => all.find((n) => n.type === 'district' && n.name === name)
  return { yuzhong: byName('渝中区'), jiangbei: byName('江北区'), all }
}

// Two teaching points of the same name in two districts, and a user with a long username at the
// first (made once: a second test reuses them).
async function sameNamedPoints(page) {
  const { yuzhong, jiangbei, all } = await districts(page)
  assert.ok(yuzhong && jiangbei, 'the demo has 渝中区 and 江北区')
  const points = []
  for (const d of [yuzhong, jiangbei]) {
    let p = all.find((n) => n.name === SAME_NAME && n.path.startsWith(d.path))
    if (!p) {
      const res = await pageApi(page, 'POST', '/orgs', { parent_id: d.id, type: 'point', name: SAME_NAME })
      assert.equal(res.status, 201, JSON.stringify(res.json))
      p = res.json
    }
    points.push(p)
  }
  const found = await pageApi(page, 'GET', `/users?q=${LONG_USERNAME}`)
  if (!found.json.total) {
    const res = await pageApi(page, 'POST', '/users', { username: LONG_USERNAME, name: '宽表测试', org_id: points[0].id,
      role: 'staff', data_scope: 'org', password: 'E2E-Wide-Table-2026' })
    assert.equal(res.status, 201, JSON.stringify(res.json))
  }
  return points
}

// Every visible action button of a table's first rows lies inside the viewport.
async function actionsOnScreen(page, table, viewport) {
  const buttons = page.locator(`[data-test=${table}] .el-table__body tr.el-table__row td.el-table-fixed-column--right button`)
  const n = Math.min(await buttons.count(), 6)
  assert.ok(n > 0, `${table}: the action column is fixed on the right`)
  for (let i = 0; i < n; i++) {
    const box = await buttons.nth(i).boundingBox()
    assert.ok(box, `${table}: action button ${i} is shown`)
    assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `${table}: action button ${i} at x=${box.x}+${box.width} is off-screen`)
    assert.ok(box.y + box.height <= 4000, 'a sane position')
  }
}

// The cells' text fits: scrollWidth <= clientWidth for each .cell matched.
async function notTruncated(page, selector) {
  const cells = await page.$$eval(selector, (els) => els.map((e) => ({ text: e.innerText, sw: e.scrollWidth, cw: e.clientWidth })))
  assert.ok(cells.length > 0, `cells ${selector} exist`)
  for (const c of cells) assert.ok(c.sw <= c.cw, `"${c.text}" is cut (${c.sw} > ${c.cw})`)
  return cells
}

for (const viewport of [OFFICE, WIDE]) {
  test(`用户管理 and 师资库 at ${viewport.width} px: actions on screen, usernames and statuses whole`, TEST, async () => {
    await withPage(`tables-${viewport.width}`, viewport, async (page) => {
      await login(page, ADMIN, ADMIN_PASSWORD)
      await sameNamedPoints(page)
      await page.goto(`${URL_BASE}/users?q=${LONG_USERNAME.slice(0, 12)}`)
      const userRow = page.locator('[data-test=user-table] tr.el-table__row', { hasText: LONG_USERNAME })
      await userRow.first().waitFor(WAIT)
      await actionsOnScreen(page, 'user-table', viewport)
      const cells = await notTruncated(page, '[data-test=user-table] td.username-cell .cell')
      assert.ok(cells.some((c) => c.text.trim() === LONG_USERNAME), 'the long username is shown in full')
      // the same-named point shows its district in the table
      await userRow.filter({ hasText: `${SAME_NAME}（渝中区）` }).first().waitFor(WAIT)

      await page.goto(`${URL_BASE}/teachers`)
      await page.locator('[data-test=teacher-table] tr.el-table__row').first().waitFor(WAIT)
      await actionsOnScreen(page, 'teacher-table', viewport)
      await notTruncated(page, '[data-test=teacher-table] td .cell:has([data-test=teacher-status])')
      const tags = await page.$$eval('[data-test=teacher-table] [data-test=teacher-status]', (els) =>
        els.map((e) => { const r = e.getBoundingClientRect(); const c = e.closest('td').getBoundingClientRect(); return r.right <= c.right + 0.5 }))
      assert.ok(tags.length && tags.every(Boolean), 'every status tag lies inside its cell')
      // column show/hide and batch selection are there
      await page.locator('[data-test=teacher-columns]').waitFor(WAIT)
      await page.locator('[data-test=teacher-table] th.el-table-column--selection').first().waitFor(WAIT)
    })
  })
}

test('打印 prints the table only: no menu, filters or action column', TEST, async () => {
  await withPage('tables-print', OFFICE, async (page) => {
    await page.addInitScript(() => { window.__printed = 0; window.print = () => { window.__printed++ } })
    await login(page, ADMIN, ADMIN_PASSWORD)
    await page.goto(`${URL_BASE}/teachers`)
    await page.locator('[data-test=teacher-table] tr.el-table__row').first().waitFor(WAIT)
    // two rows selected: the toolbar counts them
    await page.locator('[data-test=teacher-table] tr.el-table__row td.el-table-column--selection .el-checkbox').nth(0).click()
    await page.locator('[data-test=teacher-table] tr.el-table__row td.el-table-column--selection .el-checkbox').nth(1).click()
    assert.match(await page.locator('[data-test=list-selected]').innerText(), /2/)
    await page.click('[data-test=teacher-print]')
    assert.equal(await page.evaluate(() => window.__printed), 1, 'window.print() was called once')
    await page.emulateMedia({ media: 'print' })
    const shown = (sel) => page.$$eval(sel, (els) => els.some((e) => e.offsetParent !== null && getComputedStyle(e).display !== 'none'))
    assert.equal(await shown('[data-test=side-menu]'), false, 'the menu is not printed')
    assert.equal(await shown('.list-toolbar'), false, 'the filters are not printed')
    assert.equal(await shown('[data-test=teacher-table] td.no-print'), false, 'the action column is not printed')
    assert.equal(await shown('[data-test=teacher-table] tr.el-table__row'), true, 'the rows are printed')
    assert.ok((await page.$eval('.print-area', (e) => e.dataset.printTitle || '')).length > 0, 'a title line')
    await page.emulateMedia({ media: 'screen' })
  })
})

test('same-named teaching points show their district in the org select', TEST, async () => {
  await withPage('tables-same-name', OFFICE, async (page) => {
    await login(page, ADMIN, ADMIN_PASSWORD)
    await sameNamedPoints(page)
    await page.goto(`${URL_BASE}/users`)
    await page.locator('[data-test=user-table] .el-table__body tr.el-table__row', { hasText: 'admin' }).first().waitFor(WAIT)
    await page.click('[data-test=user-org-filter]')
    const input = page.locator('[data-test=user-org-filter] input').first()
    await input.fill(SAME_NAME)
    const labels = page.locator('.el-tree-node__content:visible', { hasText: SAME_NAME })
    await labels.first().waitFor(WAIT)
    const texts = (await labels.allInnerTexts()).map((s) => s.trim())
    assert.ok(texts.includes(`${SAME_NAME}（渝中区）`), `labels: ${texts}`)
    assert.ok(texts.includes(`${SAME_NAME}（江北区）`), `labels: ${texts}`)
  })
})

test('a district admin sees the city per-point target and an exact share', TEST, async () => {
  const title = `E2E每个教学点目标-${Date.now()}`
  const nearTitle = `E2E差一点目标-${Date.now()}`
  let share
  await withPage('targets-setup', OFFICE, async (page) => {
    await login(page, ADMIN, ADMIN_PASSWORD)
    const { yuzhong } = await districts(page)
    const me = await pageApi(page, 'GET', '/me')
    const city = me.json.org_id ?? me.json.user?.org_id
    const each = await pageApi(page, 'POST', '/targets', { org_id: city, title, metric: 'activities', period: '2026-12',
      goal: 1, applies: 'each', each_type: 'point' })
    assert.equal(each.status, 201, JSON.stringify(each.json))
    // a big activity this month, then a goal one above what the district has: 99.x%, not 100%
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
    const act = await pageApi(page, 'POST', '/activities', { org_id: yuzhong.id, kind: 'lecture', title: 'E2E目标活动',
      start_date: today, end_date: today, participants: 5000 })
    assert.equal(act.status, 201, JSON.stringify(act.json))
    const stats = await pageApi(page, 'GET', `/stats?org_id=${yuzhong.id}&period=2026-12&metrics=participants`)
    const actual = stats.json.values.participants
    assert.ok(actual >= 5000)
    const near = await pageApi(page, 'POST', '/targets', { org_id: yuzhong.id, title: nearTitle, metric: 'participants',
      period: '2026-12', goal: actual + 1 })
    assert.equal(near.status, 201, JSON.stringify(near.json))
    share = `${Math.floor((actual * 1000) / (actual + 1)) / 10}%`
    assert.notEqual(share, '100%')
  })
  await withPage('targets-district', OFFICE, async (page) => {
    await login(page, DISTRICT_ADMIN, DEMO_PASSWORD)
    await page.goto(`${URL_BASE}/dashboard`)
    const item = page.locator('[data-test=target-item]', { hasText: title })
    await item.first().waitFor(WAIT)
    const near = page.locator('[data-test=target-item]', { hasText: nearTitle })
    await near.first().waitFor(WAIT)
    const text = await near.first().locator('.el-progress__text').innerText()
    assert.equal(text.trim(), share, 'the exact share, rounded down')
    assert.notEqual(await near.first().getAttribute('data-status'), 'achieved')
  })
})

test('an activity is registered with a photo in one save; a refused file is named', TEST, async () => {
  await withPage('activity-files', OFFICE, async (page) => {
    await login(page, ADMIN, ADMIN_PASSWORD)
    const title = `E2E带照片的活动-${Date.now()}`
    await page.goto(`${URL_BASE}/activities`)
    await page.click('[data-test=activity-add]')
    const dialog = page.locator('.el-dialog[data-test=activity-dialog]')
    await dialog.waitFor(WAIT)
    await dialog.locator('[data-test=activity-title] input').first().fill(title)
    await dialog.locator('[data-test=activity-pending-upload] input[type=file]').setInputFiles([
      { name: '现场照片.png', mimeType: 'image/png', buffer: PNG },
      { name: '病毒.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ not a document') },
    ])
    await dialog.locator('.el-upload-list__item', { hasText: '现场照片.png' }).waitFor(WAIT)
    await page.click('[data-test=activity-save]')
    // the refused file is named in an error; the activity is saved with its photo
    const failed = page.locator('.activity-upload-failed')
    await failed.waitFor(WAIT)
    assert.match(await failed.innerText(), /病毒\.exe/)
    await page.locator('[data-test=activity-table] tr.el-table__row', { hasText: title }).first().waitFor(WAIT)
    const list = await pageApi(page, 'GET', `/activities?q=${encodeURIComponent(title)}`)
    assert.equal(list.json.total, 1)
    const files = await pageApi(page, 'GET', `/activities/${list.json.items[0].id}/files`)
    assert.deepEqual(files.json.items.map((f) => f.name), ['现场照片.png'])
  })
})

test('a course teacher is picked from the pool, a guest speaker marked 外聘', TEST, async () => {
  await withPage('course-teachers', OFFICE, async (page) => {
    await login(page, DISTRICT_ADMIN, DEMO_PASSWORD)
    const pool = await pageApi(page, 'GET', '/teachers?page_size=5')
    const teacher = pool.json.items.find((x) => x.status !== 'retired')
    assert.ok(teacher, 'the district has a teacher in its pool')
    const title = `E2E师资库课程-${Date.now()}`
    await page.goto(`${URL_BASE}/courses`)
    await page.click('[data-test=course-add]')
    const form = page.locator('.el-dialog[data-test=course-form]')
    await form.waitFor(WAIT)
    await form.locator('[data-test=course-org]').click()
    await form.locator('[data-test=course-org] input').first().fill('教学点')
    await page.locator('.el-tree-node__content:visible', { hasText: '教学点' }).first().click()
    // Element Plus puts an input's data-test on the <input> itself, a select's on its wrapper
    const input = (name) => form.locator(`input[data-test=${name}], [data-test=${name}] input`).first()
    const item = (label) => form.locator('.el-form-item', { has: page.locator(`.el-form-item__label:text-is("${label}")`) })
    await input('course-title').fill(title)
    await item('类别').locator('.el-select').click()
    // the category list's own popper (the org tree's may still be fading out)
    await page.locator('.el-select__popper:visible .el-select-dropdown__item:visible', { hasText: '食' }).first().click()
    const time = item('上课时间').locator('input')
    await time.nth(0).fill('2026-12-20 09:00:00')
    await time.nth(0).press('Enter')
    await time.nth(1).fill('2026-12-20 10:30:00')
    await time.nth(1).press('Enter')
    await item('师资库教师').locator('input').first().fill(teacher.name)
    const option = page.locator('.el-select-dropdown__item:visible', { hasText: teacher.name }).first()
    await option.waitFor(WAIT)
    await option.click()
    await input('course-guests').fill('外请王教授')
    await page.click('[data-test=course-save]')
    await form.waitFor({ state: 'hidden', timeout: WAIT.timeout })
    const found = await pageApi(page, 'GET', `/courses?q=${encodeURIComponent(title)}`)
    assert.equal(found.json.total, 1, JSON.stringify(found.json))
    const teachers = found.json.items[0].teachers
    assert.deepEqual(teachers.map((x) => [x.id, x.name, x.guest]), [[teacher.id, teacher.name, false], [null, '外请王教授', true]])
    // the agenda marks the guest speaker
    await page.locator(`[data-test=course-${found.json.items[0].id}]`, { hasText: '外请王教授（外聘）' }).waitFor(WAIT)
  })
})
