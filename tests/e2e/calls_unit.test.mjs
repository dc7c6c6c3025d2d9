// Browser test (node:test + playwright-core + Debian's Chromium) of the unit's, the reviewer's and
// the public's side of calls (issue 15, F2), on the demo city of tests/e2e/run.sh. The calls are
// made here through the API as the city admin (the demo's own calls are not relied on):
// (a) a demo_point call: the 渝中区 admin enters one of its points through the form (the 四化八有
//     checklists with an evidence file each, a teacher row), sees the autosave, submits and
//     recommends it upward; two reviewers of other districts score it with the keyboard; one
//     sheet reopened by the admin shows the reason and is scored again;
// (b) a lecture collection: the society enters 3 lectures through the form (one first refused
//     with the server's 422 at its field, one saved through a network failure and a retry), my
//     calls says 3 of min 3, done; one returned shows its reason, is resubmitted, done again;
// (c) a call whose deadline passes while the entry page is open (the city moves it into the past):
//     the submit is refused with the server's message, and the page opened afterwards says 已截止
//     with the button disabled;
// (d) on a 390 px phone, the 公示 objection form refuses a bad phone with the server's message,
//     the final results of the call list its selected entry, its award certificate verifies, and
//     a title granted by hand is on the public list of titles under its kind.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WAIT, URL_BASE, useBrowser, withPage, login, pageApi } from './lib.mjs'

const ADMIN_PW = process.env.KEPU_BOOTSTRAP_ADMIN_PASSWORD || 'E2E-Admin-2026'
const DEMO_PW = 'Demo@2026kepu'
const DESK = { width: 1366, height: 900 }
const PHONE = { width: 390, height: 844 }
const LONG = { timeout: 400000 }
// a 1×1 PNG: the evidence file of every checklist item
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
const api = pageApi

useBrowser()

// An RFC 3339 +08:00 time, seconds from now; a Shanghai day, days from now.
function at(seconds) {
  return new Date(Date.now() + seconds * 1000 + 8 * 3600000).toISOString().slice(0, 19) + '+08:00'
}
function day(days) { return at(days * 86400).slice(0, 10) }

async function ok(res, what) {
  assert.ok(res.status >= 200 && res.status < 300, `${what}: ${res.status} ${JSON.stringify(res.json)}`)
  return res.json
}

// As the city admin: a call from a builtin template, opened.
async function openCall(page, code, title, extra = {}) {
  const templates = await ok(await api(page, 'GET', '/call-templates?page_size=100'), 'templates')
  const tpl = templates.items.find((x) => x.code === code)
  assert.ok(tpl, `template ${code}`)
  const me = await ok(await api(page, 'GET', '/me'), 'me')
  const call = await ok(await api(page, 'POST', '/calls', {
    template_id: tpl.id, org_id: me.org_id, year: Number(day(0).slice(0, 4)), title, deadline: day(10), ...extra,
  }), `create ${code}`)
  await ok(await api(page, 'POST', `/calls/${call.id}/open`), 'open')
  return call
}

// As the call's manager: a document of the call (its notice's attachment), uploaded raw.
async function uploadDoc(page, callId, name) {
  const status = await page.evaluate(async ([id, n, b64]) => {
    const csrf = (await (await fetch('/api/v1/auth/csrf')).json()).csrf_token
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
    const r = await fetch(`/api/v1/calls/${id}/files`, { method: 'POST', body: bytes,
      headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/octet-stream', 'X-File-Name': n } })
    return r.status
  }, [callId, name, PNG.toString('base64')])
  assert.equal(status, 201, 'the call document uploaded')
}

async function confirm(page) {
  await page.locator('.kepu-confirm .el-button--primary').click()
}

async function waitSaved(page) {
  await page.locator('[data-test=entry-save-state]', { hasText: '已保存' }).waitFor(WAIT)
}

// A new lecture through the form; `before(page)` runs before the summary is typed (left out with
// `noSummary`).
async function fillLecture(page, callId, n, { noSummary = false, before = null } = {}) {
  await page.goto(`${URL_BASE}/my-calls`)
  await page.click(`[data-test=my-call-new-${callId}]`)
  await page.locator('[data-test=entry-form]').waitFor(WAIT)
  await page.fill('[data-test=entry-title]', `社区健康讲座第${n}讲`)
  await page.waitForURL(/\/entries\/\d+$/, WAIT)
  await page.fill('[data-test=entry-input-title]', `老年人慢病防治第${n}讲`)
  await page.fill('input[data-test=entry-input-speaker]', '王医生')
  if (before) await before(page)
  if (!noSummary) await page.fill('[data-test=entry-input-summary]', '常见慢性病的预防、用药与日常管理。')
  await waitSaved(page)
  return Number(page.url().match(/entries\/(\d+)/)[1])
}

async function submitHere(page, again = false) {
  assert.equal((await page.locator('[data-test=entry-submit]').innerText()).trim(), again ? '重新提交' : '提交申报')
  await page.click('[data-test=entry-submit]')
  await confirm(page)
  await page.locator('[data-test=entry-status]', { hasText: '已提交' }).waitFor(WAIT)
}

test('(a) a district enters a point with evidence, autosaves, submits, recommends; two reviewers score by keyboard', LONG, async () => {
  let call, entryId, unitName
  const sheets = []
  await withPage('calls-a-admin', DESK, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    call = await openCall(page, 'demo_point', 'E2E 示范教学点申报')
  })

  await withPage('calls-a-district', DESK, async (page) => {
    await login(page, 'd500103_admin', DEMO_PW)
    const units = await ok(await api(page, 'GET', `/calls/${call.id}/progress?page_size=50`), 'progress')
    unitName = units.items.find((u) => u.org_type === 'point').org_name
    await page.goto(`${URL_BASE}/my-calls`)
    const card = page.locator(`[data-test=my-call-${call.id}]`)
    await card.waitFor(WAIT)
    assert.match(await page.locator(`[data-test=my-call-countdown-${call.id}]`).innerText(), /还剩 (9|10) 天/)
    await page.click(`[data-test=my-call-new-${call.id}]`)
    await page.click('[data-test=entry-unit]')
    await page.locator('.el-select-dropdown__item:visible', { hasText: unitName }).first().click()
    await page.fill('[data-test=entry-title]', `${unitName}示范点申报`)
    // the first change makes the draft; the page moves to it and says it saved
    await page.waitForURL(/\/entries\/\d+$/, WAIT)
    entryId = Number(page.url().match(/entries\/(\d+)/)[1])
    await waitSaved(page)
    await page.fill('[data-test=entry-input-feature]', '常态化开课，志愿者讲师队伍稳定。')
    for (const [list, items] of [['sihua', ['standard', 'normal', 'digital', 'regular']],
      ['bayou', ['venue', 'equipment', 'teachers', 'curriculum', 'rules', 'funding', 'records', 'results']]]) {
      for (const it of items) {
        await page.click(`[data-test=entry-ok-${list}-${it}]`)
        await page.setInputFiles(`[data-test=entry-evidence-${list}-${it}-input]`, { name: `${it}.png`, mimeType: 'image/png', buffer: PNG })
        await page.locator(`[data-test=entry-check-${list}-${it}] [data-test=entry-evidence-${list}-${it}-file]`).waitFor(WAIT)
      }
    }
    await page.click('[data-test=entry-row-add-staff]')
    await page.fill('[data-test=entry-input-staff-0-name]', '李老师')
    // the figure is shown read-only, from the statistics
    assert.match(await page.locator('[data-test=entry-field-courses]').innerText(), /来自统计/)
    await waitSaved(page)
    const draft = await ok(await api(page, 'GET', `/entries/${entryId}`), 'draft')
    assert.equal(draft.status, 'draft')
    assert.equal(draft.values.bayou.results.ok, true, 'the autosave stored the checklist')
    assert.equal(draft.values.bayou.results.files.length, 1, 'with its evidence')
    assert.equal(draft.values.staff[0].name, '李老师')

    await page.click('[data-test=entry-submit]')
    await confirm(page)
    await page.locator('[data-test=entry-status]', { hasText: '已提交' }).waitFor(WAIT)
    assert.equal((await ok(await api(page, 'GET', `/entries/${entryId}`), 'entry')).status, 'submitted')

    // the district holds it: recommend it upward from my calls
    await page.goto(`${URL_BASE}/my-calls`)
    await page.click(`[data-test=my-entry-recommend-${entryId}]`)
    await confirm(page)
    await page.locator(`[data-test=my-entry-status-${entryId}]`, { hasText: '已推荐' }).waitFor(WAIT)
    assert.match(await page.locator(`[data-test=my-call-recommend-quota-${call.id}]`).innerText(), /已向上推荐 1 项（限 3 项）/)
    assert.equal((await ok(await api(page, 'GET', `/entries/${entryId}`), 'entry')).status, 'recommended')
  })

  await withPage('calls-a-assign', DESK, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    await ok(await api(page, 'POST', `/calls/${call.id}/close`), 'close')
    for (const username of ['d500101_admin', 'd500105_admin']) {
      const u = (await ok(await api(page, 'GET', `/users?q=${username}`), 'user')).items.find((x) => x.username === username)
      await ok(await api(page, 'POST', `/calls/${call.id}/reviewers`, { user_id: u.id }), 'reviewer')
      sheets.push((await ok(await api(page, 'POST', `/calls/${call.id}/assignments`, { entry_id: entryId, user_id: u.id }), 'assign')).id)
    }
  })

  // reviewer 1: every criterion 8 (total 80); reviewer 2 saves a draft with Ctrl+S first, then
  // 10 on the first and 7 on the rest: (2·100 + 2·70·3 + 70·8) / 1600 → 73.75
  const plans = [['d500101_admin', Array(12).fill('8'), '80.00'], ['d500105_admin', ['10', ...Array(11).fill('7')], '73.75']]
  for (const [k, [username, scores, total]] of plans.entries()) {
    await withPage(`calls-a-review-${k}`, DESK, async (page) => {
      await login(page, username, DEMO_PW)
      await page.goto(`${URL_BASE}/reviews`)
      await page.click(`[data-test=review-open-${sheets[k]}]`)
      await page.locator('[data-test=sheet-scores]').waitFor(WAIT)
      // the files are named 附件N, numbered in the form's order: 标准化 (the first item) is 附件1, 有成效 (the last) 附件12
      await page.locator('[data-test=sheet-value-sihua]', { hasText: '附件1' }).waitFor(WAIT)
      assert.match(await page.locator('[data-test=sheet-value-sihua]').innerText(), /标准化\s*附件1\b/)
      assert.match(await page.locator('[data-test=sheet-value-bayou]').innerText(), /有成效\s*附件12/)
      // the reviewer opens the evidence from the sheet: the file comes under its 附件N name
      if (k === 0) {
        const [dl] = await Promise.all([page.waitForEvent('download', WAIT),
          page.locator('[data-test=sheet-value-sihua]').getByText('附件1', { exact: true }).first().click()])
        assert.match(dl.suggestedFilename(), /^附件1(\.|$)/)
      }
      await page.click('[data-test=sheet-score-standard]')
      for (const [i, s] of scores.entries()) {
        await page.keyboard.type(s)
        if (i < scores.length - 1) await page.keyboard.press('Tab')
        if (k === 1 && i === 3) {
          await page.keyboard.press('Control+s')
          await page.locator('[data-test=sheet-save-state]', { hasText: '已保存' }).waitFor(WAIT)
          const draft = await ok(await api(page, 'GET', `/reviews/${sheets[k]}`), 'draft sheet')
          assert.equal(draft.status, 'assigned')
          assert.equal(draft.scores[0].score, 100, 'Ctrl+S stored the draft')
          await page.click('[data-test=sheet-score-venue]')
        }
      }
      assert.equal((await page.locator('[data-test=sheet-total] b').innerText()).trim(), total, 'the live total')
      await page.keyboard.press('Control+Enter')
      await confirm(page)
      await page.locator('[data-test=sheet-status]', { hasText: '已提交' }).waitFor(WAIT)
      assert.equal(await page.locator('[data-test=sheet-submit]').count(), 0, 'a submitted sheet is read-only')
      const sheet = await ok(await api(page, 'GET', `/reviews/${sheets[k]}`), 'sheet')
      assert.equal(sheet.status, 'submitted')
      assert.equal((sheet.total / 100).toFixed(2), total)
    })
  }

  // the admin reopens the first sheet with a reason: its reviewer sees 已退回重评 and the reason,
  // changes one score (standard 8 → 6: (2·60 + 2·80·3 + 80·8) / 1600 = 77.50) and submits again
  await withPage('calls-a-reopen', DESK, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    await ok(await api(page, 'POST', `/reviews/${sheets[0]}/reopen`, { reason: '标准化评分请再核对' }), 'reopen')
  })
  await withPage('calls-a-rescore', DESK, async (page) => {
    await login(page, 'd500101_admin', DEMO_PW)
    await page.goto(`${URL_BASE}/reviews`)
    await page.locator(`[data-test=review-status-${sheets[0]}]`, { hasText: '已退回重评' }).waitFor(WAIT)
    await page.click(`[data-test=review-open-${sheets[0]}]`)
    await page.locator('[data-test=sheet-reopened]', { hasText: '标准化评分请再核对' }).waitFor(WAIT)
    await page.fill('[data-test=sheet-score-standard]', '')
    await page.click('[data-test=sheet-score-standard]')
    await page.keyboard.type('6')
    assert.equal((await page.locator('[data-test=sheet-total] b').innerText()).trim(), '77.50')
    await page.keyboard.press('Control+Enter')
    await confirm(page)
    await page.locator('[data-test=sheet-status]', { hasText: '已提交' }).waitFor(WAIT)
    assert.equal((await ok(await api(page, 'GET', `/reviews/${sheets[0]}`), 'sheet')).total, 7750)
  })
})

test('(b) a society enters 3 lectures through the form; my calls shows 3 of min 3, done', LONG, async () => {
  let call
  const ids = []
  await withPage('calls-b-admin', DESK, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    call = await openCall(page, 'lecture_collection', 'E2E 科普大讲堂讲座征集')
    await uploadDoc(page, call.id, 'lecture-notice.png')
  })
  await withPage('calls-b-society', DESK, async (page) => {
    await login(page, 'society_admin', DEMO_PW)
    await page.goto(`${URL_BASE}/my-calls`)
    await page.locator(`[data-test=my-call-quota-state-${call.id}]`, { hasText: '还差 3 项' }).waitFor(WAIT)
    // 1: the summary left out, the server's 422 is shown at that field; then it goes through
    ids.push(await fillLecture(page, call.id, 1, { noSummary: true }))
    // the call's notice and its document, read on the entry page
    await page.click('[data-test=entry-call-notice] .el-collapse-item__header')
    await page.locator('[data-test=call-doc-file-table]', { hasText: 'lecture-notice.png' }).waitFor(WAIT)
    assert.equal(await page.locator('[data-test=call-doc-upload]').count(), 0, 'a unit cannot add documents')
    await page.click('[data-test=entry-submit]')
    await confirm(page)
    const err = page.locator('[data-test=entry-item-summary] .el-form-item__error')
    await err.waitFor(WAIT)
    assert.ok((await err.innerText()).trim().length > 0, 'the summary field shows the server message')
    assert.equal((await ok(await api(page, 'GET', `/entries/${ids[0]}`), 'entry')).status, 'draft')
    await page.fill('[data-test=entry-input-summary]', '常见慢性病的预防、用药与日常管理。')
    await waitSaved(page)
    await submitHere(page)
    // 2: the network fails under the autosave: the page says it retries, and saves once it is back
    ids.push(await fillLecture(page, call.id, 2, {
      before: async (p) => {
        await p.route('**/api/v1/entries/*', (route) => (route.request().method() === 'PATCH' ? route.abort() : route.continue()))
        await p.fill('[data-test=entry-input-summary]', '网络断开时写下的简介。')
        await p.locator('[data-test=entry-save-state]', { hasText: '保存失败，正在重试' }).waitFor(WAIT)
        await p.unroute('**/api/v1/entries/*')
        await waitSaved(p)
        const saved = await ok(await api(p, 'GET', `/entries/${Number(p.url().match(/entries\/(\d+)/)[1])}`), 'entry')
        assert.equal(saved.values.summary, '网络断开时写下的简介。', 'the retry saved it')
      },
    }))
    await submitHere(page)
    ids.push(await fillLecture(page, call.id, 3))
    await submitHere(page)
    await page.goto(`${URL_BASE}/my-calls`)
    await page.locator(`[data-test=my-call-quota-state-${call.id}]`, { hasText: '已达标' }).waitFor(WAIT)
    assert.match(await page.locator(`[data-test=my-call-quota-${call.id}]`).innerText(), /已报送 3 项（最少 3 项，最多 10 项）/)
    assert.equal(await page.locator(`[data-test=my-call-entries-${call.id}] .el-table__row`).count(), 3)
  })
  // the city returns one with a reason: the society sees it, 2 of 3, resubmits, done again
  await withPage('calls-b-return', DESK, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    await ok(await api(page, 'POST', `/entries/${ids[1]}/return`, { reason: '请补充主讲人职称' }), 'return')
  })
  await withPage('calls-b-resubmit', DESK, async (page) => {
    await login(page, 'society_admin', DEMO_PW)
    await page.goto(`${URL_BASE}/my-calls`)
    await page.locator(`[data-test=my-call-quota-state-${call.id}]`, { hasText: '还差 1 项' }).waitFor(WAIT)
    await page.click(`[data-test=my-entry-${ids[1]}]`)
    await page.locator('[data-test=entry-returned]', { hasText: '请补充主讲人职称' }).waitFor(WAIT)
    await page.fill('[data-test=entry-input-speaker_title]', '主任医师')
    await waitSaved(page)
    await submitHere(page, true)
    await page.goto(`${URL_BASE}/my-calls`)
    await page.locator(`[data-test=my-call-quota-state-${call.id}]`, { hasText: '已达标' }).waitFor(WAIT)
    const entry = await ok(await api(page, 'GET', `/entries/${ids[1]}`), 'entry')
    assert.equal(entry.values.speaker_title, '主任医师')
    assert.equal(entry.status, 'submitted')
  })
})

test('(c) past the deadline the submit is refused with the server message, and the page says 已截止', LONG, async () => {
  await withPage('calls-c-admin', DESK, async (admin) => {
    await login(admin, 'admin', ADMIN_PW)
    const call = await openCall(admin, 'lecture_collection', 'E2E 截止测试征集', { deadline: day(10), late_policy: 'refuse' })
    await withPage('calls-c-society', DESK, async (page) => {
      await login(page, 'society_admin', DEMO_PW)
      const entryId = await fillLecture(page, call.id, 1)
      // the deadline passes while the page is open (the city moves it a minute into the past), then the unit tries
      await ok(await api(admin, 'PATCH', `/calls/${call.id}`, { deadline: at(-60) }), 'deadline passed')
      await page.click('[data-test=entry-submit]')
      await confirm(page)
      const error = page.locator('[data-test=entry-submit-error]')
      await error.waitFor(WAIT)
      assert.match(await error.innerText(), /截止/)
      assert.equal((await ok(await api(page, 'GET', `/entries/${entryId}`), 'entry')).status, 'draft')
      // opened again: 已截止, and the button disabled
      await page.goto(`${URL_BASE}/entries/${entryId}`)
      await page.locator('[data-test=entry-deadline]', { hasText: '已截止' }).waitFor(WAIT)
      assert.equal(await page.locator('[data-test=entry-submit]').isDisabled(), true)
      await page.locator('[data-test=entry-closed]').waitFor(WAIT)
    })
  })
})

test('(d) on a phone: the 公示 refuses a bad phone with its message; the final results list the entry', LONG, async () => {
  let call, entry, cert, point
  await withPage('calls-d-admin', DESK, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    call = await openCall(page, 'lecture_collection', 'E2E 讲座征集结果公布')
  })
  await withPage('calls-d-society', DESK, async (page) => {
    await login(page, 'society_admin', DEMO_PW)
    entry = await ok(await api(page, 'POST', `/calls/${call.id}/entries`, { title: '家庭急救常识讲座',
      values: { title: '家庭急救常识', speaker: { name: '张医生' }, summary: '心肺复苏与止血包扎。' } }), 'entry')
    await ok(await api(page, 'POST', `/entries/${entry.id}/submit`), 'submit')
  })
  await withPage('calls-d-decide', DESK, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    await ok(await api(page, 'POST', `/entries/${entry.id}/decide`, { outcome: 'selected', award_level: '优秀讲座', reason: '内容实用' }), 'decide')
    await ok(await api(page, 'POST', `/calls/${call.id}/close`), 'close')
    await ok(await api(page, 'POST', `/calls/${call.id}/publicity`, { ends_at: day(7), body: '公示期内如有异议请提出。' }), 'publicize')
  })
  await withPage('calls-d-publicity', PHONE, async (page) => {
    await page.goto(`${URL_BASE}/public/calls/${call.id}/publicity`)
    await page.locator('[data-test=publicity-list]', { hasText: '家庭急救常识讲座' }).waitFor(WAIT)
    await page.fill('[data-test=objection-name]', '居民甲')
    await page.fill('[data-test=objection-phone]', '12345')
    await page.fill('[data-test=objection-body]', '主讲人资质需要核实。')
    await page.click('[data-test=objection-submit]')
    const err = page.locator('[data-test=objection-form] .el-form-item.is-error .el-form-item__error')
    await err.waitFor(WAIT)
    assert.match(await err.innerText(), /手机/)
    assert.equal(await page.locator('[data-test=objection-sent]').count(), 0)
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 390, `no sideways scrolling (${width}px)`)
  })
  await withPage('calls-d-finalize', DESK, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    // the window ends now (an end at or before now ends it), then the call is final
    await ok(await api(page, 'POST', `/calls/${call.id}/publicity`, { ends_at: at(0), reason: '提前结束公示（测试）' }), 'end window')
    await ok(await api(page, 'POST', `/calls/${call.id}/finalize`), 'finalize')
    cert = (await ok(await api(page, 'GET', `/calls/${call.id}/certificates`), 'certificates')).items[0]
    assert.ok(cert && cert.code, 'an award certificate was issued')
    // a title granted by hand shows on the public list of titles, filtered by its kind
    const points = await ok(await api(page, 'GET', '/orgs?type=point&page_size=500'), 'points')
    point = points.items[points.items.length - 1]
    const grant = await api(page, 'POST', '/designations', { kind: 'demo_point', org_id: point.id })
    assert.ok(grant.status === 201 || (grant.status === 409 && grant.json.error.code === 'title_held'), `grant: ${grant.status}`)
  })
  await withPage('calls-d-titles', PHONE, async (page) => {
    await page.goto(`${URL_BASE}/public/designations`)
    await page.click('[data-test=titles-kind]')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '示范教学点' }).click()
    await page.locator('[data-test=titles-list]', { hasText: point.name }).waitFor(WAIT)
    assert.doesNotMatch(await page.locator('[data-test=titles-list]').innerText(), /科普教育基地/, 'filtered by kind')
  })
  await withPage('calls-d-results', PHONE, async (page) => {
    await page.goto(`${URL_BASE}/public/calls/${call.id}/results`)
    const list = page.locator('[data-test=public-results-list]')
    await list.waitFor(WAIT)
    const text = await list.innerText()
    assert.match(text, /家庭急救常识讲座/)
    assert.match(text, /优秀讲座/)
    assert.equal(await page.locator('[data-test=public-results-title]').innerText(), 'E2E 讲座征集结果公布')
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 390, `no sideways scrolling (${width}px)`)
    // the certificate's QR code opens /verify/awards/<code>: genuine, with its serial; a wrong code is not
    await page.goto(`${URL_BASE}/verify/awards/${cert.code}`)
    await page.locator('[data-test=award-genuine]').waitFor(WAIT)
    assert.equal((await page.locator('[data-test=award-serial]').innerText()).trim(), cert.serial)
    await page.goto(`${URL_BASE}/verify/awards/${'0'.repeat(32)}`)
    await page.locator('[data-test=award-forged]').waitFor(WAIT)
  })
})
