// Browser test of the 称号复核 tab (issue 15, package K), at 1366 px on the demo city of
// tests/e2e/run.sh: "the biennial review revokes the last one". Prepared through the API as the
// city admin: 示范教学点 granted by hand to three points of different districts without the title,
// a call of the builtin `recertification` template set to revoke the last 1 (no minimum figures,
// so the review decides), opened (every active holder gets its entry), closed, reviewed (two
// district admins of other districts and the city admin; the demo's own holders scored high, the
// three points 9, 8 and 3 of 10, so the last is the third). In the UI the city admin sees the
// proposal (the last one to revoke with its Chinese reason), applies it, keeps one proposed
// holder by an override with a reason, opens and ends the 公示 in the results tab, finalizes; the
// revoked point's org page shows its title 已撤销 with the reason, a kept one 有效 two years on.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { URL_BASE, OUT, WAIT, TEST, useBrowser, withPage, login } from './lib.mjs'

const ADMIN_PW = process.env.KEPU_BOOTSTRAP_ADMIN_PASSWORD || 'E2E-Admin-2026'
const PW = 'Demo@2026kepu'
const VIEW = { width: 1366, height: 900 }
const STAMP = Date.now().toString(36)

useBrowser()

// An API session (bearer token): ok(method, path, body) → the JSON of a 2xx answer.
async function session(username, password = PW) {
  const res = await fetch(`${URL_BASE}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }),
  })
  assert.equal(res.status, 200, `login ${username}`)
  const { token, user } = await res.json()
  const ok = async (method, path, body) => {
    const r = await fetch(`${URL_BASE}/api/v1${path}`, {
      method, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const json = await r.json().catch(() => null)
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(json)}`)
    return json
  }
  return { user, ok }
}

// The district of a node: the third segment of its path "/city/district/…".
const districtOf = (path) => (path || '').split('/')[2]

async function confirm(page) {
  await page.locator('.el-message-box .el-button--primary').click()
  await page.locator('.el-message-box').waitFor({ state: 'hidden' })
}

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

// Opens a node's page and returns its row of 示范教学点 that shows `text` (a node may hold older ones).
async function titleRow(page, name, text) {
  await page.goto(`${URL_BASE}/orgs`)
  await page.fill('[data-test=org-search] input, input[data-test=org-search]', name)
  await page.locator('[data-test=org-tree] .el-tree-node__content', { hasText: name }).first().click()
  const row = page.locator('[data-test=org-titles] [data-test=designation-table] .el-table__body tr', { hasText: '示范教学点' })
    .filter({ hasText: text }).first()
  await row.waitFor(WAIT)
  return row
}

test('the biennial review revokes the last one', TEST, async () => {
  const admin = await session('admin', ADMIN_PW)
  const reviewers = [await session('d500101_admin'), await session('d500104_admin')]
  const orgPath = async (id) => (await admin.ok('GET', `/orgs/${id}`)).path
  const busy = new Set(await Promise.all(reviewers.map((r) => orgPath(r.user.org_id).then(districtOf))))

  // three points of three other districts without an active 示范教学点
  const held = new Set((await admin.ok('GET', '/designations?kind=demo_point&status=active&page_size=500')).items.map((d) => d.org_id))
  const points = []
  for (const p of (await admin.ok('GET', '/orgs?type=point&page_size=500')).items) {
    const d = districtOf(p.path)
    if (points.length < 3 && !held.has(p.id) && !busy.has(d) && !points.some((x) => x.district === d)) points.push({ ...p, district: d })
  }
  assert.equal(points.length, 3, 'three points of other districts without the title')
  const titles = {}
  for (const p of points) titles[p.id] = await admin.ok('POST', '/designations', { kind: 'demo_point', org_id: p.id })
  const [good, fair, last] = points

  const tpl = (await admin.ok('GET', '/call-templates?page_size=100')).items.find((x) => x.code === 'recertification')
  assert.ok(tpl, 'the recertification template')
  const call = await admin.ok('POST', '/calls', { template_id: tpl.id, org_id: admin.user.org_id, year: 2026,
    title: `E2E称号复核 ${STAMP}`, deadline: '2099-10-31' })
  await admin.ok('PUT', `/calls/${call.id}/recert`, { revoke_last: 1, min_figures: null })
  await admin.ok('POST', `/calls/${call.id}/open`)
  const entries = (await admin.ok('GET', `/calls/${call.id}/entries?page_size=500`)).items
  for (const p of points) assert.ok(entries.some((e) => e.org_id === p.id), `${p.name} has its entry`)
  await admin.ok('POST', `/calls/${call.id}/close`)

  // the review: the city admin conflicts with no entry, so every entry finds its two reviewers
  for (const r of [...reviewers, admin]) await admin.ok('POST', `/calls/${call.id}/reviewers`, { user_id: r.user.id })
  await admin.ok('POST', `/calls/${call.id}/assignments`, { auto: true, per_entry: 2 })
  const tenths = { [good.id]: 90, [fair.id]: 80, [last.id]: 30 }
  const orgOfEntry = Object.fromEntries(entries.map((e) => [e.id, e.org_id]))
  for (const r of [...reviewers, admin]) {
    for (const s of (await r.ok('GET', '/reviews?status=assigned&page_size=500')).items.filter((x) => x.call_id === call.id)) {
      const full = await r.ok('GET', `/reviews/${s.id}`)
      const score = tenths[orgOfEntry[s.entry_id]] ?? 100
      await r.ok('POST', `/reviews/${s.id}/submit`, { scores: Object.fromEntries(full.scores.map((c) => [c.key, { score }])) })
    }
  }
  await admin.ok('POST', `/calls/${call.id}/rounds/1/close`)

  await withPage('calls-recert', VIEW, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    await page.goto(`${URL_BASE}/calls/${call.id}`)
    await page.locator('[data-test=call-detail-title]', { hasText: call.title }).waitFor(WAIT)
    await page.locator('.el-tabs__item', { hasText: '称号复核' }).click()
    const table = page.locator('[data-test=recert-table] .el-table__body')
    const rowOf = (p) => table.locator('tr', { hasText: p.name }).first()
    await rowOf(last).waitFor(WAIT)
    // the proposal: the last one revoked with its reason in Chinese, the others kept
    const lastText = await rowOf(last).innerText()
    assert.match(lastText, /撤销/)
    assert.match(lastText, /末位淘汰：第 \d+ 名（共 \d+ 名）/)
    assert.doesNotMatch(lastText, /last place/)
    assert.match(await rowOf(good).innerText(), /保留/)
    assert.match(await page.locator('[data-test=recert-counts]').innerText(), /建议撤销 1 家/)
    await page.screenshot({ path: `${OUT}/calls-recert-proposal.png`, fullPage: true })

    // applied; then the fair one kept by an override with a reason (it was kept already: the
    // decision's reason is now the admin's)
    await page.click('[data-test=recert-apply]')
    await confirm(page)
    await rowOf(last).locator('[data-test=recert-outcome]', { hasText: '撤销' }).waitFor(WAIT)
    await rowOf(fair).locator('[data-test=recert-keep]').click()
    await page.locator('.el-message-box input').fill('复核材料齐全，予以保留')
    await confirm(page)
    await rowOf(fair).locator('td', { hasText: '复核材料齐全，予以保留' }).waitFor(WAIT)
    assert.match(await page.locator('[data-test=recert-revoked]').innerText(), /已撤销 1/)
    assert.match(await page.locator('[data-test=recert-kept]').innerText(), new RegExp(`已保留 ${entries.length - 1}`))

    // 公示 (opened for two days, then ended at its start with a reason) and finalize
    await page.click('[data-test=recert-to-results]')
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

    // the revoked point's title: 已撤销 with the reason; a kept one: 有效, its term two years on
    const revoked = await titleRow(page, last.name, '末位淘汰')
    assert.match(await revoked.innerText(), /已撤销/)
    const before = titles[good.id].valid_to
    const after = `${Number(before.slice(0, 4)) + 2}${before.slice(4, 10)}`
    const kept = await titleRow(page, good.name, after)
    assert.match(await kept.innerText(), /有效/)
    await page.screenshot({ path: `${OUT}/calls-recert-titles.png`, fullPage: true })
  })
})
