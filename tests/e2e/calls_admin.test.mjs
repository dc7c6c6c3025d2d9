// Browser test of the staff pages of calls (issue 15, package F1), at 1366 px on the demo city of
// tests/e2e/run.sh. What the units and reviewers do goes through the API (their pages are another
// package's); what the city does goes through the UI. The calls are created here, never taken
// from the demo.
// (a) 示范教学点: a point of 渝中区 enters with evidence files, its district recommends it; in the
//     UI the city closes the call, adds two reviewers of other districts and assigns them
//     automatically (a reviewer of 渝中区 assigned by hand is refused with the conflict message),
//     the sheets are submitted, the city closes the round, proposes and applies the award, opens
//     the 公示, ends it, finalizes; the point's org page shows the 示范教学点 title.
// (b) 讲座征集: a society with 1 of 3 lectures is behind on the board (the reminder answers how
//     many units it reached, and a second click the same day reaches none); after 2 more the
//     board, reloaded, shows it done; the collected table downloaded from the call's page has
//     the 3 rows.
// (c) the designer: a new call from a template, a checklist field added with an empty item label
//     is refused by the server at that item; fixed, saved, opened.
// (d) a district (not the call's manager: only the entries tab) returns a point's entry with a
//     reason, then recommends the resubmission; the history names the return's reason.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { URL_BASE, OUT, WAIT, TEST, useBrowser, withPage, login } from './lib.mjs'
import { readWorkbook } from './xlsx.mjs'

const ADMIN_PW = process.env.KEPU_BOOTSTRAP_ADMIN_PASSWORD || 'E2E-Admin-2026'
const PW = 'Demo@2026kepu'
const VIEW = { width: 1366, height: 900 }
const STAMP = Date.now().toString(36)
// A 1×1 PNG: evidence the server sniffs as an image.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

useBrowser()

// An API session of a demo account (bearer token): call(method, path, body) → { status, json }.
async function session(username, password = PW) {
  const res = await fetch(`${URL_BASE}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }),
  })
  assert.equal(res.status, 200, `login ${username}`)
  const { token, user } = await res.json()
  const auth = { Authorization: `Bearer ${token}` }
  const call = async (method, path, body) => {
    const r = await fetch(`${URL_BASE}/api/v1${path}`, {
      method, headers: { ...auth, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    return { status: r.status, json: await r.json().catch(() => null) }
  }
  const ok = async (method, path, body, want = [200, 201]) => {
    const r = await call(method, path, body)
    assert.ok(want.includes(r.status), `${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`)
    return r.json
  }
  const upload = async (path, name, bytes) => {
    const r = await fetch(`${URL_BASE}/api/v1${path}`, { method: 'POST', headers: { ...auth, 'X-File-Name': encodeURIComponent(name) }, body: bytes })
    assert.equal(r.status, 201, `upload ${path}`)
    return r.json()
  }
  return { user, call, ok, upload }
}

// A call of the builtin template `code` owned by the city, opened.
async function openedCall(admin, code, title, deadline) {
  const tpl = (await admin.ok('GET', '/call-templates?page_size=100')).items.find((x) => x.code === code)
  assert.ok(tpl, `template ${code}`)
  const c = await admin.ok('POST', '/calls', { template_id: tpl.id, org_id: admin.user.org_id, year: 2026, title, deadline })
  await admin.ok('POST', `/calls/${c.id}/open`)
  return c
}

// Answers the confirmation box the page opened.
async function confirm(page) {
  await page.locator('.el-message-box .el-button--primary').click()
  await page.locator('.el-message-box').waitFor({ state: 'hidden' })
}

// The Shanghai wall time of an RFC 3339 instant, as the date-time pickers take it.
function shanghaiText(iso) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(iso)).map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
}

async function fillPicker(page, selector, text) {
  const input = page.locator(`${selector} input, input${selector}`).first()
  await input.click()
  await input.fill(text)
  await input.press('Enter')
  await page.locator('body').click({ position: { x: 5, y: 5 } })
}

// Picks an account in the reviewer search and adds it.
async function addReviewer(page, username) {
  const pick = page.locator('[data-test=reviewer-pick]')
  await pick.click()
  await page.keyboard.type(username)
  await page.locator('.el-select-dropdown__item:visible', { hasText: username }).first().click()
  await page.click('[data-test=reviewer-add]')
  await page.locator('[data-test=reviewer-table] .el-table__body tr', { hasText: username.startsWith('d500101') ? '万州区' : username.startsWith('d500104') ? '大渡口区' : '渝中区' }).first().waitFor(WAIT)
}

test('(a) a point nominated by 渝中区 is reviewed, decided, announced and named in the UI', TEST, async () => {
  const admin = await session('admin', ADMIN_PW)
  const point = await session('d500103_point')
  const district = await session('d500103_admin')
  const call = await openedCall(admin, 'demo_point', `E2E示范教学点申报 ${STAMP}`, '2099-10-31')

  // the point enters with evidence: two checklist items claimed, each with a file of the entry
  const entry = await point.ok('POST', `/calls/${call.id}/entries`, { title: `E2E教学点申报 ${STAMP}`, values: {} })
  const f1 = await point.upload(`/entries/${entry.id}/files`, '场地照片.png', PNG)
  const f2 = await point.upload(`/entries/${entry.id}/files`, '制度文件.png', PNG)
  const no = { ok: false }
  const values = {
    feature: '社区老年科普课程常态化开展',
    sihua: { standard: { ok: true, files: [f1.id] }, normal: no, digital: no, regular: no },
    bayou: { venue: { ok: true, files: [f1.id] }, equipment: no, teachers: no, curriculum: no, rules: { ok: true, files: [f2.id] },
      funding: no, records: no, results: no },
    staff: [{ name: '张老师', subject: '健康科普' }],
  }
  await point.ok('PATCH', `/entries/${entry.id}`, { values })
  const submitted = await point.ok('POST', `/entries/${entry.id}/submit`)
  assert.equal(submitted.status, 'submitted')
  const recommended = await district.ok('POST', `/entries/${entry.id}/recommend`)
  assert.equal(recommended.stage_org_id, admin.user.org_id)

  await withPage('calls-admin-a', VIEW, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    await page.goto(`${URL_BASE}/calls/${call.id}`)
    await page.locator('[data-test=call-detail-title]', { hasText: call.title }).waitFor(WAIT)
    // the entry, read-only with its history
    await page.locator('[data-test=entry-open]', { hasText: entry.title }).click()
    const view = page.locator('[data-test=entry-view]')
    await view.locator('[data-test=entry-history]', { hasText: '推荐' }).waitFor(WAIT)
    assert.match(await view.locator('[data-test=entry-values]').innerText(), /标准化：是（1 个文件）/)
    await view.locator('.el-drawer__close-btn').click()

    await page.click('[data-test=detail-close]')
    await confirm(page)
    await page.locator('[data-test=call-detail-status]', { hasText: '评审中' }).waitFor(WAIT)

    // two reviewers of other districts, assigned automatically
    await page.locator('.el-tabs__item', { hasText: '评审管理' }).click()
    await addReviewer(page, 'd500101_admin')
    await addReviewer(page, 'd500104_admin')
    await page.locator('[data-test=auto-per-entry] input, input[data-test=auto-per-entry]').first().fill('2')
    await page.click('[data-test=auto-assign]')
    await page.locator('[data-test=assign-message]', { hasText: '本次分配 2 份评审表' }).waitFor(WAIT)
    await page.locator('[data-test=assignment-table] .el-table__body tr').nth(1).waitFor(WAIT)
    assert.equal(await page.locator('[data-test=assignment-table] .el-table__body tr').count(), 2)
    // one of the entry's own district is refused: the 409's message in the dialog
    await addReviewer(page, 'd500103_admin')
    await page.click('[data-test=manual-assign]')
    await page.locator('[data-test=manual-entry]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: entry.title }).click()
    await page.locator('[data-test=manual-reviewer]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '渝中区' }).click()
    await page.click('[data-test=manual-save]')
    await page.locator('.el-dialog .el-form-item__error').waitFor(WAIT)
    assert.match(await page.locator('.el-dialog .el-form-item__error').innerText(), /同单位或同区/)
    await page.locator('.el-dialog .el-dialog__headerbtn').click()

    // the reviewers submit their sheets (their workspace is another package's)
    for (const [who, s] of [['d500101_admin', 90], ['d500104_admin', 80]]) {
      const r = await session(who)
      const sheet = (await r.ok('GET', '/reviews?status=assigned&page_size=100')).items.find((x) => x.entry_id === entry.id)
      assert.ok(sheet, `${who} has a sheet`)
      const full = await r.ok('GET', `/reviews/${sheet.id}`)
      const scores = Object.fromEntries(full.scores.map((c) => [c.key, { score: s }]))
      await r.ok('POST', `/reviews/${sheet.id}/submit`, { scores })
    }
    await page.reload()
    await page.locator('[data-test=assignment-table] .el-table__body tr', { hasText: '已提交' }).nth(1).waitFor(WAIT)
    await page.click('[data-test=close-round]')
    await confirm(page)
    await page.locator('[data-test=call-detail-status]', { hasText: '待决定' }).waitFor(WAIT)

    // ranking, the proposal applied
    await page.locator('.el-tabs__item', { hasText: '排名与决定' }).click()
    const rankRow = page.locator('[data-test=ranking-table] .el-table__body tr', { hasText: entry.title })
    await rankRow.waitFor(WAIT)
    assert.match(await rankRow.innerText(), /^1\b/)
    await page.click('[data-test=propose-awards]')
    await rankRow.locator('td', { hasText: '示范教学点' }).waitFor(WAIT)
    await page.click('[data-test=apply-proposal]')
    await page.locator('[data-test=decision-table] [data-test=decision-outcome]', { hasText: '入选' }).waitFor(WAIT)
    assert.match(await page.locator('[data-test=call-budget]').innerText(), /20,000|20000/)

    // 公示: opened for two days, then ended at its start (with a reason), then finalized
    await page.locator('.el-tabs__item', { hasText: '公示与结果' }).click()
    await fillPicker(page, '[data-test=pub-ends]', shanghaiText(new Date(Date.now() + 2 * 86400e3).toISOString()))
    await page.click('[data-test=pub-open]')
    await page.locator('[data-test=call-detail-status]', { hasText: '公示中' }).waitFor(WAIT)
    const pub = await admin.ok('GET', `/public/calls/${call.id}/publicity`)
    await fillPicker(page, '[data-test=pub-ends]', shanghaiText(pub.publicity.starts_at))
    await page.fill('[data-test=pub-reason] input, input[data-test=pub-reason]', '按期结束')
    await page.click('[data-test=pub-open]')
    await page.locator('.el-message--success').first().waitFor(WAIT)
    await page.click('[data-test=finalize]')
    await confirm(page)
    await page.locator('[data-test=call-detail-status]', { hasText: '已结束' }).waitFor(WAIT)
    const cert = page.locator('[data-test=certificate-table] .el-table__body tr', { hasText: entry.org_name })
    await cert.waitFor(WAIT)
    const [pdf] = await Promise.all([page.waitForEvent('download'), cert.locator('[data-test=certificate-pdf]').click()])
    await pdf.saveAs(`${OUT}/calls-certificate.pdf`)
    assert.equal(readFileSync(`${OUT}/calls-certificate.pdf`).subarray(0, 5).toString(), '%PDF-')

    // the titles list: the new title, active
    await page.goto(`${URL_BASE}/designations?kind=demo_point`)
    await page.locator('[data-test=designation-table] .el-table__body tr', { hasText: entry.org_name })
      .locator('[data-test=designation-status]', { hasText: '有效' }).first().waitFor(WAIT)

    // the point's page shows the title
    await page.goto(`${URL_BASE}/orgs`)
    await page.fill('[data-test=org-search] input, input[data-test=org-search]', entry.org_name)
    await page.locator('[data-test=org-tree] .el-tree-node__content', { hasText: entry.org_name }).first().click()
    const titles = page.locator('[data-test=org-titles] [data-test=designation-table] .el-table__body tr', { hasText: '示范教学点' })
    await titles.waitFor(WAIT)
    assert.match(await titles.innerText(), /有效/)
    await page.screenshot({ path: `${OUT}/calls-admin-a.png`, fullPage: true })
  })
})

test('(b) the board turns a society from behind to done; the collected table has its 3 lectures', TEST, async () => {
  const admin = await session('admin', ADMIN_PW)
  const society = await session('society_admin')
  const call = await openedCall(admin, 'lecture_collection', `E2E讲座征集 ${STAMP}`, '2099-02-28')
  const lecture = async (i) => {
    const e = await society.ok('POST', `/calls/${call.id}/entries`, { title: `E2E讲座${i}`,
      values: { title: `E2E讲座${i}`, speaker: { name: `主讲人${i}` }, summary: '面向社区居民的健康科普讲座' } })
    await society.ok('POST', `/entries/${e.id}/submit`)
  }
  await lecture(1)
  const unit = society.user.org_name

  await withPage('calls-admin-b', VIEW, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    await page.goto(`${URL_BASE}/calls/${call.id}/board?state=behind`)
    const row = page.locator('[data-test=board-table] .el-table__body tr', { hasText: unit })
    await row.waitFor(WAIT)
    assert.equal((await row.locator('[data-test=board-row-state]').innerText()).trim(), '落后')
    assert.match(await row.innerText(), /1 \/ 3/)
    // the reminder: the units behind now, then none the same day
    await page.click('[data-test=board-remind]')
    const said = page.locator('[data-test=board-reminded]')
    await said.waitFor(WAIT)
    assert.match(await said.innerText(), /已催报 \d+ 个单位/)
    await page.click('[data-test=board-remind]')
    await page.locator('[data-test=board-reminded]', { hasText: '今日已催报' }).waitFor(WAIT)

    await lecture(2)
    await lecture(3)
    await page.goto(`${URL_BASE}/calls/${call.id}/board`)
    const done = page.locator('[data-test=board-table] .el-table__body tr', { hasText: unit })
    await done.locator('[data-test=board-row-state]', { hasText: '已完成' }).waitFor(WAIT)
    assert.match(await done.innerText(), /3 \/ 3/)

    // the collected table (附件1), downloaded from the call's page
    await page.goto(`${URL_BASE}/calls/${call.id}`)
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=collected-export]')])
    const file = `${OUT}/calls-collected.xlsx`
    await download.saveAs(file)
    const sheet = readWorkbook(readFileSync(file)).sheets[0]
    // the call's title, the header (单位, 标题, … then the form's labels), one row per lecture
    const rows = sheet.rows.filter((r) => r.length)
    const head = rows.findIndex((r) => r[0]?.value === '单位')
    assert.ok(head >= 0, 'the header row')
    assert.deepEqual(rows[head].slice(4, 6).map((c) => c.value), ['讲座题目', '主讲人'])
    assert.equal(rows.length - head - 1, 3, '3 lectures')
    const text = rows.slice(head + 1).map((r) => r.map((c) => c?.value).join('|'))
    for (let i = 1; i <= 3; i++) assert.ok(text.some((x) => x.includes(`E2E讲座${i}`) && x.includes(unit)), `lecture ${i}`)
    await page.screenshot({ path: `${OUT}/calls-admin-b.png`, fullPage: true })
  })
})

test('(c) the designer: a new call from a template, a bad checklist item named by the server, fixed, opened', TEST, async () => {
  const admin = await session('admin', ADMIN_PW)
  await withPage('calls-admin-c', VIEW, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    await page.goto(`${URL_BASE}/calls`)
    await page.click('[data-test=call-new]')
    await page.click('[data-test=call-new-lecture_collection]')
    await page.locator('[data-test=call-designer] [data-test=field-0]').waitFor({ state: 'attached', ...WAIT })
    const title = `E2E设计的征集 ${STAMP}`
    await page.fill('[data-test=call-title] input, input[data-test=call-title]', title)
    await fillPicker(page, '[data-test=call-deadline]', '2099-12-31 18:00:00')

    // the form builder: a checklist field at the end, its first item's label left empty
    await page.locator('.el-tabs__item', { hasText: '申报表单' }).click()
    const tpl = (await admin.ok('GET', '/call-templates?page_size=100')).items.find((x) => x.code === 'lecture_collection')
    const before = tpl.config.form.length
    await page.locator('[data-test=field-new-type]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '检查清单' }).click()
    await page.click('[data-test=field-add]')
    const card = page.locator(`[data-test=field-${before}]`)
    await card.waitFor(WAIT)
    await card.locator('[data-test=field-label] input, input[data-test=field-label]').fill('场地条件')
    await page.click('[data-test=call-save]')
    const err = card.locator('[data-test=item-error]')
    await err.waitFor(WAIT)
    assert.ok((await err.innerText()).trim().length > 0, 'the item error has a message')
    assert.equal(page.url().includes('/calls/new'), true, 'nothing was saved')

    await card.locator('[data-test=item-label] input, input[data-test=item-label]').first().fill('有固定场地')
    await page.click('[data-test=call-save]')
    await page.waitForURL(/\/calls\/\d+\/edit$/, WAIT)
    const id = Number(/\/calls\/(\d+)\/edit/.exec(page.url())[1])
    const saved = await admin.ok('GET', `/calls/${id}`)
    assert.equal(saved.status, 'draft')
    assert.equal(saved.title, title)
    assert.equal(saved.deadline, '2099-12-31T18:00:00+08:00')
    const added = saved.form[saved.form.length - 1]
    assert.deepEqual({ type: added.type, label: added.label, item: added.items[0].label, evidence: added.items[0].evidence },
      { type: 'checklist', label: '场地条件', item: '有固定场地', evidence: true })

    await page.locator('[data-test=call-designer] [data-test=field-0]').waitFor({ state: 'attached', ...WAIT })
    await page.click('[data-test=call-save-open]')
    await page.waitForURL(new RegExp(`/calls/${id}$`), WAIT)
    await page.locator('[data-test=call-detail-status]', { hasText: '征集中' }).waitFor(WAIT)
  })
})

test('(d) a district returns a point\'s entry with a reason, then recommends the resubmission, in the UI', TEST, async () => {
  const admin = await session('admin', ADMIN_PW)
  const point = await session('d500103_point')
  const call = await openedCall(admin, 'demo_point', `E2E退回与推荐 ${STAMP}`, '2099-10-31')
  const no = { ok: false }
  const values = { feature: '特色课程', sihua: { standard: no, normal: no, digital: no, regular: no },
    bayou: Object.fromEntries(['venue', 'equipment', 'teachers', 'curriculum', 'rules', 'funding', 'records', 'results'].map((k) => [k, no])),
    staff: [{ name: '李老师' }] }
  const entry = await point.ok('POST', `/calls/${call.id}/entries`, { title: `E2E待退回 ${STAMP}`, values })
  await point.ok('POST', `/entries/${entry.id}/submit`)

  await withPage('calls-admin-d', VIEW, async (page) => {
    await login(page, 'd500103_admin', PW)
    await page.goto(`${URL_BASE}/calls/${call.id}`)
    const row = page.locator('[data-test=entry-table] .el-table__body tr', { hasText: entry.title })
    await row.waitFor(WAIT)
    // a district sees the entries, not the city's review, ranking and results
    assert.equal(await page.locator('.el-tabs__item').count(), 1)
    await row.locator('[data-test=entry-return]').click()
    await page.locator('.el-message-box input').fill('请补充八有佐证材料')
    await confirm(page)
    await row.locator('[data-test=entry-status]', { hasText: '已退回' }).waitFor(WAIT)

    await point.ok('POST', `/entries/${entry.id}/submit`)
    await page.reload()
    await row.locator('[data-test=entry-status]', { hasText: '已报送' }).waitFor(WAIT)
    await row.locator('[data-test=entry-recommend]').click()
    await confirm(page)
    await row.locator('[data-test=entry-status]', { hasText: '已推荐' }).waitFor(WAIT)
    await row.locator('[data-test=entry-open]').click()
    const history = page.locator('[data-test=entry-view] [data-test=entry-history]')
    await history.locator('.el-timeline-item', { hasText: '推荐' }).last().waitFor(WAIT)
    assert.match(await history.innerText(), /退回 · [^\n]*：请补充八有佐证材料/)
  })
  const after = await admin.ok('GET', `/entries/${entry.id}`)
  assert.equal(after.status, 'recommended')
  assert.equal(after.stage_org_id, admin.user.org_id)
})
