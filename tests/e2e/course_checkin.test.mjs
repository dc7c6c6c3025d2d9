// Browser test: one course checked in end to end. The 渝中区 district admin schedules a course at
// one of its points that has just started, opens the teacher's check-in screen from the course
// register (签到), reads the check-in URL from the page, and a phone (a second browser context,
// 390 px) opens it and checks in as a newcomer with name and phone. Then the course's attendance
// and the district's `attendance` total (via the API) have risen by one, and the screen counts 1.
// The phone then rates the course 4 stars with a comment: the course shows 4.0 from 1 rating, and
// the page of the pool teacher the course names shows it in its section 授课情况.
// Then a student on record (added by staff): a phone giving its number under another name is
// refused (姓名不一致, nothing remembered), under the name on record it checks in and keeps a key;
// a phone using the 6-digit code checks the student in without a key (nothing to remember, no
// rating), so the code alone never hands over a student's key.
// Run by tests/e2e/run.sh on the demo city.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WAIT, TEST, OUT, URL_BASE, useBrowser, withPage, login, pageApi } from './lib.mjs'

const USER = 'd500103_admin'
const PASSWORD = 'Demo@2026kepu'

useBrowser()

// A JSON call with the page's session (cookie and CSRF header, see lib.mjs).
const api = pageApi

function shanghai(offsetSeconds) {
  const d = new Date(Date.now() + offsetSeconds * 1000 + 8 * 3600 * 1000)
  return `${d.toISOString().slice(0, 19)}+08:00`
}

test('a course checked in from a phone counts in the district', TEST, async () => {
  await withPage('checkin-teacher', { width: 1280, height: 900 }, async (page) => {
    await login(page, USER, PASSWORD)
    const me = (await api(page, 'GET', '/me')).json
    const points = (await api(page, 'GET', '/orgs?type=point&page_size=5')).json
    assert.ok(points.items.length, 'the district has teaching points')
    const teacher = (await api(page, 'GET', '/teachers?page_size=1')).json.items[0]
    assert.ok(teacher, 'the district has a teacher in the pool')
    const created = await api(page, 'POST', '/courses', {
      org_id: points.items[0].id, title: '扫码签到体验课', category: 'digital', place: '社区活动室',
      starts_at: shanghai(-300), ends_at: shanghai(3600), teachers: [{ name: teacher.name, id: teacher.id }],
    })
    assert.equal(created.status, 201)
    const course = created.json
    const district = me.user?.org_id ?? me.org_id
    const year = shanghai(0).slice(0, 4)
    const before = (await api(page, 'GET', `/stats?org_id=${district}&period=${year}&metrics=attendance`)).json.values.attendance

    // the 签到 button of the register opens the teacher's screen
    await page.goto(new URL('/courses', page.url()).href)
    await page.click('#tab-all')
    await page.locator(`[data-test=course-checkin-${course.id}]`).click()
    await page.locator('[data-test=checkin-qr]').waitFor(WAIT)
    const url = await page.locator('[data-test=checkin-url]').getAttribute('data-test-url')
    assert.match(url, /\/c\/\d+\/[A-Za-z0-9_-]+$/)
    assert.match((await page.locator('[data-test=checkin-code]').innerText()).trim(), /^\d{6}$/)
    await page.screenshot({ path: `${OUT}/checkin-screen.png` })

    // the phone: the server's public URL may name another host; the path is what matters here
    const path = new URL(url).pathname
    await withPage('checkin-phone', { width: 390, height: 844 }, async (phone) => {
      await phone.goto(`${URL_BASE}${path}`)
      await phone.locator('[data-test=phone-course]', { hasText: '扫码签到体验课' }).waitFor(WAIT)
      await phone.fill('input[data-test=phone-name]', '体验学员')
      await phone.fill('input[data-test=phone-phone]', '13999990001')
      await phone.click('[data-test=phone-submit]')
      await phone.locator('[data-test=phone-done]').waitFor(WAIT)
      assert.match(await phone.locator('[data-test=phone-done]').innerText(), /签到成功/)
      assert.ok(await phone.evaluate(() => localStorage.getItem('kepu_student_key')))
      await phone.screenshot({ path: `${OUT}/checkin-phone.png` })
      // the rating right under the success
      // 4 stars through el-rate's keyboard control (a synthetic tap on a star is not reliable
      // while the success result still settles; the keys set the same v-model)
      const stars = phone.locator('[data-test=phone-rate-stars]')
      await stars.focus()
      for (let i = 0; i < 4; i++) await stars.press('ArrowRight')
      await phone.locator('[data-test=phone-rate-stars][aria-valuenow="4"]').waitFor(WAIT)
      await phone.fill('textarea[data-test=phone-rate-comment]', '老师讲得很清楚')
      await phone.click('[data-test=phone-rate-submit]')
      await phone.locator('[data-test=phone-rate-done]').waitFor(WAIT)
      assert.match(await phone.locator('[data-test=phone-rate-done]').innerText(), /感谢您的评价/)
      await phone.screenshot({ path: `${OUT}/checkin-phone-rated.png` })
    })

    const after = (await api(page, 'GET', `/courses/${course.id}`)).json
    assert.equal(after.attendance, 1)
    assert.equal(after.status, 'held')
    const total = (await api(page, 'GET', `/stats?org_id=${district}&period=${year}&metrics=attendance`)).json.values.attendance
    assert.equal(total, before + 1)
    await page.locator('[data-test=checkin-count]', { hasText: '1' }).waitFor(WAIT)
    assert.equal(after.rating_count, 1)
    assert.equal(after.rating_avg, 4)

    // the teacher's page counts the course and its rating
    await page.goto(new URL(`/teachers/${teacher.id}`, page.url()).href)
    const section = page.locator('[data-test=teacher-teaching]')
    await section.locator('[data-test=teaching-recent]', { hasText: '扫码签到体验课' }).waitFor(WAIT)
    const held = Number((await section.locator('[data-test=teaching-held] .v').innerText()).trim())
    const profile = (await api(page, 'GET', `/teachers/${teacher.id}/profile`)).json.sections.teaching
    assert.equal(held, profile.courses_held)
    assert.ok(profile.recent.some((c) => c.id === course.id && c.rating_count === 1))
    await page.screenshot({ path: `${OUT}/teacher-teaching.png`, fullPage: true })

    // a student on record: the name on record, and the key only by the QR code
    const sid = path.split('/')[2]
    const student = await api(page, 'POST', '/students', { org_id: points.items[0].id, name: '登记学员', phone: '13999990002' })
    assert.equal(student.status, 201)
    const fresh = (await api(page, 'GET', `/checkin/sessions/${sid}/token`)).json
    await withPage('checkin-phone-known', { width: 390, height: 844 }, async (phone) => {
      await phone.goto(`${URL_BASE}${new URL(fresh.url).pathname}`)
      await phone.locator('[data-test=phone-course]', { hasText: '扫码签到体验课' }).waitFor(WAIT)
      await phone.fill('input[data-test=phone-name]', '冒名者')
      await phone.fill('input[data-test=phone-phone]', '13999990002')
      await phone.click('[data-test=phone-submit]')
      await phone.locator('[data-test=phone-problem]', { hasText: '姓名不一致' }).waitFor(WAIT)
      assert.equal(await phone.evaluate(() => localStorage.getItem('kepu_student_key')), null)
      await phone.fill('input[data-test=phone-name]', '登记学员')
      await phone.click('[data-test=phone-submit]')
      await phone.locator('[data-test=phone-done]').waitFor(WAIT)
      assert.ok(await phone.evaluate(() => localStorage.getItem('kepu_student_key')))
    })
    await withPage('checkin-phone-code', { width: 390, height: 844 }, async (phone) => {
      await phone.goto(`${URL_BASE}/c/${sid}/not-a-token`)
      await phone.locator('[data-test=phone-use-code]').click()
      await phone.fill('input[data-test=phone-code]', fresh.code)
      await phone.fill('input[data-test=phone-name]', '登记学员')
      await phone.fill('input[data-test=phone-phone]', '13999990002')
      await phone.click('[data-test=phone-submit]')
      await phone.locator('[data-test=phone-nokey]', { hasText: '扫描二维码' }).waitFor(WAIT)
      assert.equal(await phone.evaluate(() => localStorage.getItem('kepu_student_key')), null)
      assert.equal(await phone.locator('[data-test=phone-rate-stars]').count(), 0)
      await phone.screenshot({ path: `${OUT}/checkin-phone-code-nokey.png` })
    })
    assert.equal((await api(page, 'GET', `/courses/${course.id}`)).json.attendance, 2)
  })
})
