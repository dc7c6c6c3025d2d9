// Browser test of the public portal (issue 18 C) on a 390x844 phone: a resident opens a teaching
// point's course on the portal (server-rendered, no login), asks for a code, types it from the SMS
// (the logging SMS sender writes it, phone masked, into the server's log) and enrols; then the
// point's staff see the resident in the course drawer's 门户报名 list, and link a resource of the
// library to the course in the same drawer's 课程资源 (found by its title) and remove it again.
// Run by tests/e2e/run.sh on the demo city (KEPU_E2E_FILES=portal for this one alone).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { WAIT, TEST, URL_BASE, OUT, useBrowser, withPage, login, pageApi } from './lib.mjs'

const USER = 'd500103_admin'
const PASSWORD = 'Demo@2026kepu'
const PHONE = { width: 390, height: 844 }

useBrowser()

function shanghai(offsetSeconds) {
  const d = new Date(Date.now() + offsetSeconds * 1000 + 8 * 3600 * 1000)
  return `${d.toISOString().slice(0, 19)}+08:00`
}

// The code of the last SMS to the phone in the server's log (masked 139****1234), or null.
function lastCode(phone) {
  const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`
  let code = null
  for (const line of readFileSync(`${OUT}/server.log`, 'utf8').split('\n')) {
    const m = line.includes(masked) && line.match(/验证码 (\d{6})/)
    if (m) code = m[1]
  }
  return code
}

test('a resident enrols from the portal on a phone; the staff list shows the resident', TEST, async () => {
  const phoneNo = `139${String(Date.now()).slice(-8)}`
  const place = `门户报名室${Date.now() % 100000}`
  await withPage('portal-staff', { width: 1280, height: 800 }, async (staff) => {
    await login(staff, USER, PASSWORD)
    const points = (await pageApi(staff, 'GET', '/orgs?type=point&page_size=5')).json
    const created = await pageApi(staff, 'POST', '/courses', {
      org_id: points.items[0].id, title: '门户报名体验课', category: 'health', place,
      starts_at: shanghai(2 * 86400), ends_at: shanghai(2 * 86400 + 3600), capacity: 20,
    })
    assert.equal(created.status, 201, JSON.stringify(created.json))
    const course = created.json

    await withPage('portal-phone', PHONE, async (phone) => {
      await phone.goto(`${URL_BASE}/portal/courses/${course.id}`)
      await phone.locator('h1', { hasText: '门户报名体验课' }).waitFor(WAIT)
      // phones first: the page fits the screen's width
      const width = await phone.evaluate(() => document.documentElement.scrollWidth)
      assert.ok(width <= PHONE.width, `the page is ${width} px wide`)
      await phone.fill('input[name=name]', '门户学员')
      await phone.fill('input[name=phone]', phoneNo)
      await phone.click('#send')
      await phone.locator('#msg', { hasText: '验证码已发送' }).waitFor(WAIT)
      let code = null
      for (let i = 0; i < 20 && !code; i++) { code = lastCode(phoneNo); if (!code) await phone.waitForTimeout(250) }
      assert.ok(code, 'the code is in the SMS log')
      await phone.fill('input[name=code]', code)
      await phone.click('#enrol button[type=submit]')
      await phone.locator('#msg', { hasText: '报名成功' }).waitFor(WAIT)
    })

    // the staff: the course's drawer lists the enrolment, the phone masked
    await staff.goto(`${URL_BASE}/courses`)
    await staff.locator('[data-test=course-tabs]').getByText('全部课程').click()
    await staff.getByPlaceholder('搜索主题或地点').fill(place)
    await staff.getByPlaceholder('搜索主题或地点').press('Enter')
    await staff.locator('[data-test=course-table]').getByText('门户报名体验课').click()
    const table = staff.locator('[data-test=enrolment-table]')
    await table.getByText('门户学员').waitFor(WAIT)
    assert.match(await table.innerText(), new RegExp(`${phoneNo.slice(0, 3)}\\*\\*\\*\\*${phoneNo.slice(7)}`))

    // the same drawer's 课程资源: a resource of the library found by its title, linked, then removed
    const resTitle = `体验课讲义${Date.now() % 100000}`
    const made = await pageApi(staff, 'POST', '/resources', { title: resTitle, kind: 'slides', org_id: created.json.org_id })
    assert.equal(made.status, 201)
    const resources = staff.locator('[data-test=course-resource-table]')
    await staff.locator('input[data-test=course-resource-search]').fill(resTitle.slice(0, 5))
    await staff.locator('.el-autocomplete-suggestion li', { hasText: resTitle }).click()
    await resources.getByText(resTitle).waitFor(WAIT)
    const linked = (await pageApi(staff, 'GET', `/resources?used_by_course=${created.json.id}`)).json
    assert.deepEqual(linked.items.map((x) => x.id), [made.json.id])
    await resources.locator('[data-test=course-resource-unlink]').click()
    await resources.getByText(resTitle).waitFor({ state: 'detached', ...WAIT })
    assert.equal((await pageApi(staff, 'GET', `/resources?used_by_course=${created.json.id}`)).json.total, 0)
  })
})
