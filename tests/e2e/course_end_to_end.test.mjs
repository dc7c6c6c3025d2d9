// Browser test: one course end to end through the UI (issue 5). The head of a 渝中区 teaching
// point (d500103_point) drafts a whole-year plan with one item dated today and submits it; the
// 渝中区 district admin opens it from the plans awaiting review on its home page and approves it;
// the point's head schedules a course from that item, started a few minutes ago, and opens the
// check-in screen from the course register; a phone (a second browser context, 390 px) opens
// the QR URL read from the page and checks in as a newcomer. Then the course is held with
// attendance 1 (its attendance list names the newcomer, the screen counts 1) and the district's
// `courses` and `attendance` totals have each risen by one. Run by tests/e2e/run.sh on the demo.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WAIT, TEST, OUT, URL_BASE, useBrowser, withPage, login, pageApi } from './lib.mjs'

const PASSWORD = 'Demo@2026kepu'

useBrowser()

// A JSON call with the page's session (cookie and CSRF header, see lib.mjs).
const api = pageApi

// Shanghai wall time offset seconds from now: "YYYY-MM-DD HH:mm" (the pickers' format).
function shanghai(offsetSeconds) {
  const d = new Date(Date.now() + offsetSeconds * 1000 + 8 * 3600 * 1000)
  return d.toISOString().slice(0, 16).replace('T', ' ')
}

async function confirm(page) {
  await page.locator('.kepu-confirm .el-button--primary').click()
}

// The point's head and the district admin each keep their own browser context.
async function asUser(name, username, body) {
  await withPage(name, { width: 1280, height: 900 }, async (page) => {
    await login(page, username, PASSWORD)
    await body(page)
  })
}

test('a plan item becomes a course a phone checks in to, counted in the district', TEST, async () => {
  const today = shanghai(0).slice(0, 10)
  const year = today.slice(0, 4)
  const title = `${year}年全年教学计划（端到端）`
  let planId, itemId, courseId, district, before
  // the district's year figures, read as its admin (the point's head cannot see its district)
  const districtTotals = async (page) => (await api(page, 'GET',
    `/stats?org_id=${district}&period=${year}&metrics=courses,attendance`)).json.values

  // 1. the point's head drafts the plan with an item dated today, and submits it
  await asUser('e2e-plan', 'd500103_point', async (page) => {
    await page.goto(new URL('/plans', page.url()).href)
    await page.click('[data-test=plan-add]')
    await page.locator('[data-test=plan-editor]').waitFor(WAIT)
    await page.click('[data-test=plan-term]')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '全年' }).click()
    await page.fill('input[data-test=plan-title]', title)
    await page.click('[data-test=plan-add-item]')
    await page.fill('input[data-test=item-topic-0]', '识别电信网络诈骗')
    const date = page.locator('[data-test=plan-items] .el-date-editor input').first()  // the picker drops data-test
    await date.fill(today)
    await date.press('Enter')
    await page.click('[data-test=plan-save]')
    await page.waitForURL(/\/plans\/\d+$/, WAIT)
    planId = Number(new URL(page.url()).pathname.split('/').pop())
    await page.locator('[data-test=plan-submit]').click()
    await confirm(page)
    await page.locator('[data-test=plan-status]', { hasText: '待审核' }).waitFor(WAIT)
    const plan = (await api(page, 'GET', `/plans/${planId}`)).json
    assert.equal(plan.term, 'year')
    assert.equal(plan.items.length, 1)
    assert.equal(plan.items[0].planned_date, today)
    itemId = plan.items[0].id
  })

  // 2. the district admin finds it on its home page among the plans awaiting review and approves it
  await asUser('e2e-review', 'd500103_admin', async (page) => {
    const review = page.locator(`[data-test=home-review-${planId}]`)
    await review.waitFor(WAIT)
    await review.click()
    await page.waitForURL(new RegExp(`/plans/${planId}$`), WAIT)
    await page.locator('[data-test=plan-approve]').click()
    await confirm(page)
    await page.locator('[data-test=plan-status]', { hasText: '已通过' }).waitFor(WAIT)
    const me = (await api(page, 'GET', '/me')).json
    district = me.user?.org_id ?? me.org_id
    before = await districtTotals(page)
  })

  // 3. the point's head schedules the course from the item, started five minutes ago, opens the
  //    check-in screen from the register, and a phone checks in by the QR URL
  await asUser('e2e-course', 'd500103_point', async (page) => {
    await page.goto(new URL(`/plans/${planId}`, page.url()).href)
    await page.locator(`[data-test=plan-schedule-${itemId}]`).click()
    const form = page.locator('[data-test=course-form]')
    await form.waitFor(WAIT)
    const [from, to] = [form.locator('.el-range-input').nth(0), form.locator('.el-range-input').nth(1)]
    await from.fill(shanghai(-300))
    await from.press('Enter')
    await to.fill(shanghai(3600))
    await to.press('Enter')
    await form.locator('[data-test=course-save]').click()
    await page.locator(`[data-test=plan-item-table]`, { hasText: '已排课' }).waitFor(WAIT)
    courseId = (await api(page, 'GET', `/plans/${planId}`)).json.items[0].course_id
    assert.ok(courseId, 'the item has its course')
    const course = (await api(page, 'GET', `/courses/${courseId}`)).json
    assert.equal(course.status, 'scheduled')
    assert.equal(course.plan_item_id, itemId)
    assert.ok(Date.parse(course.starts_at) < Date.now(), 'the course has started')

    await page.goto(new URL('/courses', page.url()).href)
    await page.click('#tab-all')
    await page.locator(`[data-test=course-checkin-${courseId}]`).click()
    await page.locator('[data-test=checkin-qr]').waitFor(WAIT)
    const url = await page.locator('[data-test=checkin-url]').getAttribute('data-test-url')
    assert.match(url, /\/c\/\d+\/[A-Za-z0-9_-]+$/)
    await page.screenshot({ path: `${OUT}/e2e-checkin-screen.png` })

    await withPage('e2e-phone', { width: 390, height: 844 }, async (phone) => {
      await phone.goto(`${URL_BASE}${new URL(url).pathname}`)
      await phone.locator('[data-test=phone-course]', { hasText: '识别电信网络诈骗' }).waitFor(WAIT)
      await phone.fill('input[data-test=phone-name]', '端到端学员')
      await phone.fill('input[data-test=phone-phone]', `1370000${String(Date.now() % 10000).padStart(4, '0')}`)
      await phone.click('[data-test=phone-submit]')
      await phone.locator('[data-test=phone-done]', { hasText: '签到成功' }).waitFor(WAIT)
      await phone.screenshot({ path: `${OUT}/e2e-phone.png` })
    })

    // 4. the course is held with the newcomer, and the district's totals show it
    await page.locator('[data-test=checkin-count]', { hasText: '1' }).waitFor(WAIT)
    const after = (await api(page, 'GET', `/courses/${courseId}`)).json
    assert.equal(after.status, 'held')
    assert.equal(after.attendance, 1)
    const list = (await api(page, 'GET', `/courses/${courseId}/attendance`)).json
    assert.deepEqual(list.items.map((x) => x.name), ['端到端学员'])
  })

  // 5. the district's totals: one course and one attendant more than before the check-in
  await asUser('e2e-totals', 'd500103_admin', async (page) => {
    const now = await districtTotals(page)
    assert.equal(now.courses, before.courses + 1)
    assert.equal(now.attendance, before.attendance + 1)
  })
})
