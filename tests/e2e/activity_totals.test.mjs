// Browser test (node:test + playwright-core + Debian's Chromium): an activity recorded at a
// teaching point of 渝中区 through the 活动登记 page moves the 数据看板 totals of the district and
// of the city by exactly its count (1 activity, 37 participants) for the current year; and the
// dashboard renders on a phone-size screen. Run by tests/e2e/run.sh, which starts a demo server
// and sets KEPU_URL (and E2E_OUT, where screenshots of failures go).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { URL_BASE, WAIT, TEST, useBrowser, withPage, login, submitLogin } from './lib.mjs'

const USER = 'admin'
const PASSWORD = process.env.KEPU_BOOTSTRAP_ADMIN_PASSWORD || 'E2E-Admin-2026'
const PARTICIPANTS = 37

// The statistics count an activity on its start date, which the form sets to today in Shanghai.
const YEAR = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date())

useBrowser()

// The API, used only to find the org ids the test needs (the figures are read from the UI).
async function apiSession() {
  const res = await fetch(`${URL_BASE}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: USER, password: PASSWORD }),
  })
  assert.equal(res.status, 200, 'API login')
  const { token, user } = await res.json()
  const get = async (path) => {
    const r = await fetch(`${URL_BASE}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } })
    assert.equal(r.status, 200, `GET ${path}`)
    return r.json()
  }
  return { user, get }
}

// 渝中区 (code 500103) and the first teaching point found below it.
async function findOrgs(api) {
  const found = await api.get(`/orgs?q=${encodeURIComponent('渝中区')}`)
  const district = found.items.find((o) => o.code === '500103')
  assert.ok(district, '渝中区 (500103) exists')
  const tree = await api.get(`/orgs/${district.id}/tree`)
  const points = []
  const walk = (n) => { if (n.type === 'point') points.push(n); (n.children || []).forEach(walk) }
  walk(tree)
  // Prefer a demo point over one another browser test may have added.
  const point = points.find((p) => !p.name.startsWith('E2E')) || points[0]
  assert.ok(point, 'a teaching point below 渝中区')
  return { district, point }
}

// The dashboard's activities and participants for a node and the current year, as integers.
async function readTotals(page, orgId) {
  await page.goto(`${URL_BASE}/dashboard?org_id=${orgId}&period=${YEAR}`)
  const cards = page.locator(`[data-test=kpi-cards][data-org="${orgId}"][data-period="${YEAR}"]`)
  await cards.waitFor(WAIT)
  const read = async (metric) => {
    const raw = await cards.locator(`[data-test=kpi-${metric}]`).getAttribute('data-value')
    assert.match(raw || '', /^\d+$/, `data-value of kpi-${metric} is an integer`)
    return Number(raw)
  }
  return { activities: await read('activities'), participants: await read('participants') }
}

test('an activity recorded at a teaching point moves the district and city totals', TEST, async () => {
  const api = await apiSession()
  const cityId = api.user.org_id
  const { district, point } = await findOrgs(api)
  assert.equal(district.parent_id, cityId, '渝中区 sits right under the city')

  await withPage('activity-totals', { width: 1280, height: 900 }, async (page) => {
    await login(page, USER, PASSWORD)
    const cityBefore = await readTotals(page, cityId)
    const districtBefore = await readTotals(page, district.id)

    // 活动登记 at the point: only title and participants are filled, the rest keeps its defaults.
    const title = `E2E看板活动-${Date.now()}`
    await page.goto(`${URL_BASE}/activities?org_id=${point.id}`)
    await page.click('[data-test=activity-add]')
    const dialog = page.locator('.el-dialog[data-test=activity-dialog]')
    await dialog.waitFor(WAIT)
    await dialog.locator('[data-test=activity-title] input').first().fill(title)
    const participants = dialog.locator('[data-test=activity-participants] input').first()
    await participants.fill(String(PARTICIPANTS))
    await participants.press('Tab') // el-input-number commits its value on change (blur)
    await page.click('[data-test=activity-save]')
    await page.locator('[data-test=activity-table] tr.el-table__row', { hasText: title }).first().waitFor(WAIT)

    const cityAfter = await readTotals(page, cityId)
    const districtAfter = await readTotals(page, district.id)
    assert.equal(districtAfter.activities - districtBefore.activities, 1, 'district activities +1')
    assert.equal(districtAfter.participants - districtBefore.participants, PARTICIPANTS, `district participants +${PARTICIPANTS}`)
    assert.equal(cityAfter.activities - cityBefore.activities, 1, 'city activities +1')
    assert.equal(cityAfter.participants - cityBefore.participants, PARTICIPANTS, `city participants +${PARTICIPANTS}`)
  })
})

test('the dashboard renders on a phone-size screen', TEST, async () => {
  await withPage('dashboard-phone', { width: 390, height: 844 }, async (page) => {
    await login(page, USER, PASSWORD)
    await page.goto(`${URL_BASE}/dashboard`)
    const cards = page.locator('[data-test=kpi-cards]')
    await cards.locator('[data-test=kpi-activities][data-value]').waitFor(WAIT)
    assert.match(await cards.locator('[data-test=kpi-participants]').getAttribute('data-value'), /^\d+$/)
    // Two cards side by side, the third on the next row.
    const boxes = await Promise.all(['activities', 'participants', 'materials']
      .map((m) => cards.locator(`[data-test=kpi-${m}]`).boundingBox()))
    assert.ok(Math.abs(boxes[0].y - boxes[1].y) < 2 && boxes[1].x > boxes[0].x, 'two KPI cards per row')
    assert.ok(boxes[2].y > boxes[0].y + boxes[0].height - 2, 'the third card starts a new row')
    // At least one chart drew on its canvas.
    await page.locator('[data-test=dashboard] canvas').first().waitFor(WAIT)
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 390, `page is ${width}px wide on a 390px screen`)
  })
})
