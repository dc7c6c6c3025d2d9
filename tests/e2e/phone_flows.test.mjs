// Browser tests of issue 14's phone flows, on a 390x844 phone: a newcomer who types slower than
// the check-in token lives is still checked in (the page got a grant when it opened).
// Run by tests/e2e/run.sh on the demo city (KEPU_E2E_ONLY=phone_flows for these alone).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WAIT, TEST, URL_BASE, useBrowser, withPage, login, pageApi } from './lib.mjs'

const USER = 'd500103_admin'
const PASSWORD = 'Demo@2026kepu'
const PHONE = { width: 390, height: 844 }

useBrowser()

function shanghai(offsetSeconds) {
  const d = new Date(Date.now() + offsetSeconds * 1000 + 8 * 3600 * 1000)
  return `${d.toISOString().slice(0, 19)}+08:00`
}

// A course at one of the district's points that started 5 minutes ago, with its check-in session
// open: { course, session, url } (url: the check-in URL of the current token).
async function courseWithSession(page, title) {
  const points = (await pageApi(page, 'GET', '/orgs?type=point&page_size=5')).json
  const created = await pageApi(page, 'POST', '/courses', {
    org_id: points.items[0].id, title, category: 'digital', place: '社区活动室',
    starts_at: shanghai(-300), ends_at: shanghai(3600),
  })
  assert.equal(created.status, 201, JSON.stringify(created.json))
  const opened = await pageApi(page, 'POST', '/checkin/sessions', { kind: 'course', owner_id: created.json.id })
  assert.equal(opened.status, 200)
  const token = (await pageApi(page, 'GET', `/checkin/sessions/${opened.json.id}/token`)).json
  return { course: created.json, session: opened.json.id, token }
}

test('a slow typist is checked in after the QR token rotated', TEST, async () => {
  await withPage('phone-slow-staff', PHONE, async (staff) => {
    await login(staff, USER, PASSWORD)
    const { course, session, token } = await courseWithSession(staff, '慢速签到体验课')
    await withPage('phone-slow', PHONE, async (phone) => {
      await phone.goto(`${URL_BASE}${new URL(token.url).pathname}`)
      await phone.locator('[data-test=phone-course]', { hasText: '慢速签到体验课' }).waitFor(WAIT)
      await phone.fill('input[data-test=phone-name]', '慢慢填')
      // the newcomer is slow: wait until the scanned token is refused by the server (two steps
      // of KEPU_CHECKIN_STEP, 15 s by default) before the phone number is typed
      const deadline = Date.now() + 4 * token.step * 1000
      let status = 200
      while (status === 200 && Date.now() < deadline) {
        await phone.waitForTimeout(2000)
        status = await phone.evaluate(async (u) => (await fetch(u)).status, `/api/v1/public/checkin/${session}/${token.token}`)
      }
      assert.equal(status, 410, 'the scanned token has expired')
      await phone.fill('input[data-test=phone-phone]', '13999991401')
      await phone.click('[data-test=phone-submit]')
      await phone.locator('[data-test=phone-done]').waitFor(WAIT)
      assert.match(await phone.locator('[data-test=phone-done]').innerText(), /签到成功/)
    })
    const after = (await pageApi(staff, 'GET', `/courses/${course.id}`)).json
    assert.equal(after.attendance, 1)
  })
})
