// Browser tests of issue 14's phone flows, on a 390x844 phone: a newcomer who types slower than
// the check-in token lives is still checked in (the page got a grant when it opened); the
// rating stars are 44 px targets or more that do not move when one is tapped, and a tap on the
// fifth records 5; the check-in screen's QR URL follows the page's own address (KEPU_PUBLIC_URL is unset here) and the
// screen warns when the configured address differs or does not answer; the projector mode
// shows the title, the QR code and the live count; the volunteer registration dialog shows a QR
// code of the same address as its link; a volunteer project shows a live QR code only inside its
// check-in window; /v/me leads to the registration.
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

test('the check-in screen names its own address and warns about a wrong one', TEST, async () => {
  await withPage('phone-url-staff', PHONE, async (staff) => {
    await login(staff, USER, PASSWORD)
    const { course } = await courseWithSession(staff, '地址检查体验课')
    await staff.goto(`${URL_BASE}/checkin/course/${course.id}`)
    await staff.locator('[data-test=checkin-qr]').waitFor(WAIT)
    const url = await staff.locator('[data-test=checkin-url]').getAttribute('data-test-url')
    // the address the page was served from, not the old default http://127.0.0.1:8080
    assert.ok(url.startsWith(`${URL_BASE}/c/`), `${url} starts with ${URL_BASE}`)
    // the test server listens on a loopback address no phone can reach: said so
    await staff.locator('[data-test=checkin-url-warning]', { hasText: '手机无法访问' }).waitFor(WAIT)

    // a configured address that is not this page's and does not answer: both warnings
    await staff.route('**/api/v1/links/base', (route) => route.fulfill({
      status: 200, contentType: 'application/json', body: JSON.stringify({ base_url: 'http://127.0.0.1:9', configured: true }),
    }))
    await staff.reload()
    await staff.locator('[data-test=checkin-url-warning]', { hasText: '与本页地址' }).waitFor(WAIT)
    await staff.locator('[data-test=checkin-url-warning]', { hasText: '无法访问' }).waitFor(WAIT)
    assert.equal(await staff.locator('[data-test=checkin-url-warning]').count(), 2)
  })
})

test('projector mode: full-screen QR code, course title and live count', TEST, async () => {
  await withPage('phone-projector-staff', PHONE, async (staff) => {
    await login(staff, USER, PASSWORD)
    const { course, token } = await courseWithSession(staff, '投影签到体验课')
    await staff.goto(`${URL_BASE}/checkin/course/${course.id}`)
    await staff.locator('[data-test=checkin-qr]').waitFor(WAIT)
    await staff.click('[data-test=checkin-projector-open]')
    const proj = staff.locator('[data-test=checkin-projector]')
    await proj.waitFor(WAIT)
    assert.match(await proj.locator('[data-test=projector-title]').innerText(), /投影签到体验课/)
    await proj.locator('[data-test=projector-qr]').waitFor(WAIT)
    const box = await proj.boundingBox()
    assert.ok(box.width >= 380 && box.height >= 830, 'the overlay fills the screen')
    const qr = await proj.locator('[data-test=projector-qr]').boundingBox()
    assert.ok(qr.width >= 300, `the QR code is large (${qr.width}px)`)
    await proj.locator('[data-test=projector-count]', { hasText: '已签到 0 人' }).waitFor(WAIT)
    // a phone checks in: the projector's count follows
    await withPage('phone-projector-phone', PHONE, async (phone) => {
      await phone.goto(`${URL_BASE}${new URL(token.url).pathname}`)
      await phone.fill('input[data-test=phone-name]', '投影学员')
      await phone.fill('input[data-test=phone-phone]', '13999991402')
      await phone.click('[data-test=phone-submit]')
      await phone.locator('[data-test=phone-done]').waitFor(WAIT)
    })
    await proj.locator('[data-test=projector-count]', { hasText: '已签到 1 人' }).waitFor({ timeout: 40000 })
    await staff.click('[data-test=checkin-projector-exit]')
    await proj.waitFor({ state: 'detached' })
  })
})

test('the volunteer registration dialog shows a QR code of its link', TEST, async () => {
  await withPage('phone-register-qr', PHONE, async (staff) => {
    await login(staff, USER, PASSWORD)
    await staff.goto(`${URL_BASE}/volunteers`)
    await staff.click('[data-test=register-link-open]')
    const input = staff.locator('input[data-test=register-url]')
    await input.waitFor(WAIT)
    const link = await input.inputValue()
    assert.match(link, new RegExp(`^${URL_BASE.replace(/[.]/g, '\\.')}/v/register\\?org=\\d+$`))
    const img = staff.locator('img[data-test=register-qr]')
    await img.waitFor(WAIT)
    assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the QR code image loaded')
    // the same address, drawn by the server
    const path = new URL(link).pathname + new URL(link).search
    const svg = await staff.evaluate(async (p) => (await fetch(`/api/v1/links/qr.svg?path=${encodeURIComponent(p)}`)).status, path)
    assert.equal(svg, 200)
  })
})

test('a tap on the fifth star records five', TEST, async () => {
  await withPage('phone-stars-staff', PHONE, async (staff) => {
    await login(staff, USER, PASSWORD)
    const { course, token } = await courseWithSession(staff, '星级评价体验课')
    await withPage('phone-stars', { ...PHONE, hasTouch: true }, async (phone) => {
      await phone.goto(`${URL_BASE}${new URL(token.url).pathname}`)
      await phone.fill('input[data-test=phone-name]', '评分学员')
      await phone.fill('input[data-test=phone-phone]', '13999991403')
      await phone.click('[data-test=phone-submit]')
      await phone.locator('[data-test=phone-done]').waitFor(WAIT)
      const star = (n) => phone.locator(`[data-test=phone-rate-star-${n}]`)
      await star(5).waitFor(WAIT)
      const before = []
      for (let n = 1; n <= 5; n++) {
        const b = await star(n).boundingBox()
        assert.ok(b.width >= 44 && b.height >= 44, `star ${n} is ${b.width}x${b.height}`)
        before.push(b)
      }
      // hovering and tapping move nothing
      await star(5).hover()
      await star(5).click()
      for (let n = 1; n <= 5; n++) {
        const b = await star(n).boundingBox()
        assert.deepEqual([b.x, b.y], [before[n - 1].x, before[n - 1].y], `star ${n} did not move`)
      }
      await phone.locator('[data-test=phone-rate-stars][aria-valuenow="5"]').waitFor(WAIT)
      assert.match(await phone.locator('[data-test=phone-rate-chosen]').innerText(), /5 星/)
      await phone.click('[data-test=phone-rate-submit]')
      await phone.locator('[data-test=phone-rate-done]').waitFor(WAIT)
    })
    const after = (await pageApi(staff, 'GET', `/courses/${course.id}`)).json
    assert.equal(after.rating_count, 1)
    assert.equal(after.rating_avg, 5)
  })
})

test('a volunteer project shows its live QR code only inside the check-in window', TEST, async () => {
  await withPage('phone-vp-window', PHONE, async (staff) => {
    await login(staff, USER, PASSWORD)
    const me = (await pageApi(staff, 'GET', '/me')).json
    const orgId = me.user?.org_id ?? me.org_id
    const team = (await pageApi(staff, 'POST', '/volunteer-teams', { org_id: orgId, category: 'youth', name: '窗口检查科技志愿服务队' })).json
    assert.ok(team.id, JSON.stringify(team))
    const project = async (title, from, to) => {
      const res = await pageApi(staff, 'POST', '/volunteer-projects', {
        team_id: team.id, title, content: '签到窗口', starts_at: shanghai(from), ends_at: shanghai(to), place: '社区',
        audience: 'public', status: 'published', positions: [{ name: '讲解员', headcount: 2 }],
      })
      assert.equal(res.status, 201, JSON.stringify(res.json))
      return res.json
    }
    const later = await project('三天后的志愿项目', 3 * 86400, 3 * 86400 + 3600)
    const now = await project('正在进行的志愿项目', -300, 3600)
    await staff.goto(`${URL_BASE}/volunteer-projects/${later.id}`)
    await staff.click('[data-test=vp-screen]')
    await staff.locator('[data-test=vp-qr-closed]').waitFor(WAIT)
    assert.equal(await staff.locator('[data-test=vp-qr]').count(), 0)
    assert.equal(await staff.locator('[data-test=vp-checkin-url]').count(), 0)
    await staff.goto(`${URL_BASE}/volunteer-projects/${now.id}`)
    await staff.click('[data-test=vp-screen]')
    await staff.locator('img[data-test=vp-qr]').waitFor(WAIT)
    assert.equal(await staff.locator('[data-test=vp-qr-closed]').count(), 0)
  })
})

test('/v/me leads to the registration', TEST, async () => {
  await withPage('phone-vme-staff', PHONE, async (staff) => {
    await login(staff, USER, PASSWORD)
    const me = (await pageApi(staff, 'GET', '/me')).json
    const orgId = me.user?.org_id ?? me.org_id
    await withPage('phone-vme', PHONE, async (phone) => {
      // no org known yet: the registration asks for the org's code
      await phone.goto(`${URL_BASE}/v/me`)
      await phone.click('[data-test=me-register]')
      await phone.locator('[data-test=register-need-org]').waitFor(WAIT)
      // after the org's registration page was opened once, /v/me leads back to it
      await phone.goto(`${URL_BASE}/v/register?org=${orgId}`)
      const org = (await phone.locator('[data-test=register-org]').innerText()).trim()
      await phone.goto(`${URL_BASE}/v/me`)
      const link = phone.locator('[data-test=me-register]')
      const box = await link.boundingBox()
      assert.ok(box.height >= 44, 'a finger-sized link')
      await link.click()
      await phone.waitForURL(new RegExp(`/v/register\\?org=${orgId}$`))
      assert.equal((await phone.locator('[data-test=register-org]').innerText()).trim(), org)
    })
  })
})
