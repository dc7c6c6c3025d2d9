// Browser test (issue 16 B): a meeting's participants check in by QR from a phone. The city
// (city_staff) calls a report meeting for all districts with 2 places each and publishes it from
// its page; the 渝中区 admin registers two participants on the meeting's page (two rows added,
// forgiving phone input); the city opens the check-in from the 签到 tab; a phone (390 px) opens
// the QR code's URL and one participant checks in with name and phone; a stranger is refused;
// the 出勤 tab shows that district with 1 checked in and 1 absent; the attendance export
// downloads. Run by tests/e2e/run.sh on the demo city.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WAIT, TEST, OUT, URL_BASE, useBrowser, withPage, login, pageApi as api } from './lib.mjs'

const PASSWORD = 'Demo@2026kepu'

useBrowser()

function shanghai(offsetSeconds) {
  const d = new Date(Date.now() + offsetSeconds * 1000 + 8 * 3600 * 1000)
  return `${d.toISOString().slice(0, 19)}+08:00`
}

const TITLE = `全市科普工作报告会 ${Date.now() % 100000}`

test('a meeting\'s participants check in by QR from a phone', TEST, async () => {
  let meeting
  let district
  await withPage('meeting-city', { width: 1280, height: 900 }, async (page) => {
    await login(page, 'city_staff', PASSWORD)
    const created = await api(page, 'POST', '/meetings', {
      title: TITLE, kind: 'report', starts_at: shanghai(1800), ends_at: shanghai(9000), place: '市科技馆报告厅',
      agenda: '一、年度工作报告\n二、表彰', registration_deadline: shanghai(1200), default_quota: 2,
      targeting: { org_types: ['district'] },
    })
    assert.equal(created.status, 201)
    meeting = created.json
    await page.goto(`${URL_BASE}/meetings`)
    await page.locator(`[data-test=meeting-${meeting.id}]`).click()
    await page.locator('[data-test=meeting-title]', { hasText: TITLE }).waitFor(WAIT)
    await page.click('[data-test=meeting-publish]')
    await page.click('.el-message-box__btns .el-button--primary')
    await page.locator('[data-test=meeting-status]', { hasText: '已发布' }).waitFor(WAIT)
    const units = (await api(page, 'GET', `/meetings/${meeting.id}/units`)).json.items
    assert.ok(units.length >= 2, 'every district is invited')
    assert.ok(units.every((u) => u.quota === 2))
  })

  await withPage('meeting-district', { width: 1280, height: 900 }, async (page) => {
    await login(page, 'd500103_admin', PASSWORD)
    const me = (await api(page, 'GET', '/me')).json
    district = me.user?.org_id ?? me.org_id
    await page.goto(`${URL_BASE}/meetings?side=invited`)
    await page.locator(`[data-test=meeting-${meeting.id}]`).click()
    await page.locator('[data-test=register-countdown]').waitFor(WAIT)
    assert.match(await page.locator('[data-test=register-countdown]').innerText(), /距报名截止/)
    await page.click('[data-test=reg-add-row]')
    await page.click('[data-test=reg-add-row]')
    await page.fill('input[data-test=reg-name-0]', '陈志远')
    await page.fill('input[data-test=reg-position-0]', '科普部部长')
    await page.fill('input[data-test=reg-phone-0]', '139 0000 7001')
    await page.fill('input[data-test=reg-name-1]', '刘雅琴')
    await page.fill('input[data-test=reg-phone-1]', '139-0000-7002')
    assert.ok(await page.locator('[data-test=reg-add-row]').isDisabled(), 'no third row beyond the quota')
    await page.click('[data-test=reg-save]')
    await page.locator('[data-test=register-list] tbody tr').nth(1).waitFor(WAIT)
    assert.match(await page.locator('[data-test=register-list]').innerText(), /139\*\*\*\*7001/)
    await page.screenshot({ path: `${OUT}/meeting-register.png`, fullPage: true })
    // a third one is refused by the server too
    const third = await api(page, 'POST', `/meetings/${meeting.id}/participants`, { name: '王五', phone: '13900007003' })
    assert.equal(third.status, 409)
  })

  await withPage('meeting-door', { width: 1280, height: 900 }, async (page) => {
    await login(page, 'city_staff', PASSWORD)
    await page.goto(`${URL_BASE}/meetings/${meeting.id}`)
    await page.click('#tab-checkin')
    await page.click('[data-test=meeting-checkin]')
    await page.locator('[data-test=checkin-qr]').waitFor(WAIT)
    const url = await page.locator('[data-test=checkin-url]').getAttribute('data-test-url')
    assert.match(url, /\/c\/\d+\/[A-Za-z0-9_-]+$/)
    await page.screenshot({ path: `${OUT}/meeting-checkin-screen.png` })
    const path = new URL(url).pathname
    await withPage('meeting-phone', { width: 390, height: 844 }, async (phone) => {
      await phone.goto(`${URL_BASE}${path}`)
      await phone.locator('[data-test=phone-course]', { hasText: TITLE }).waitFor(WAIT)
      await phone.fill('input[data-test=phone-name]', '陈志远')
      await phone.fill('input[data-test=phone-phone]', '13900007001')
      await phone.click('[data-test=phone-submit]')
      await phone.locator('[data-test=phone-done]').waitFor(WAIT)
      assert.match(await phone.locator('[data-test=phone-done]').innerText(), /签到成功/)
      await phone.screenshot({ path: `${OUT}/meeting-phone.png` })
    })
    await withPage('meeting-stranger', { width: 390, height: 844 }, async (phone) => {
      await phone.goto(`${URL_BASE}${path}`)
      await phone.locator('[data-test=phone-course]', { hasText: TITLE }).waitFor(WAIT)
      await phone.fill('input[data-test=phone-name]', '路人甲')
      await phone.fill('input[data-test=phone-phone]', '13900007999')
      await phone.click('[data-test=phone-submit]')
      await phone.locator('[data-test=phone-problem]').waitFor(WAIT)
    })
    await page.locator('[data-test=checkin-count]', { hasText: '1' }).waitFor(WAIT)

    // the attendance: 1 checked in and 1 absent for the district
    await page.goto(`${URL_BASE}/meetings/${meeting.id}`)
    await page.click('#tab-attendance')
    await page.locator(`[data-test=att-in-${district}]`, { hasText: '1' }).waitFor(WAIT)
    assert.equal((await page.locator(`[data-test=att-absent-${district}]`).innerText()).trim(), '1')
    const att = (await api(page, 'GET', `/meetings/${meeting.id}/attendance`)).json
    const mine = att.units.find((u) => u.org_id === district)
    assert.equal(mine.checked_in, 1)
    assert.deepEqual(mine.absent, ['刘雅琴'])
    await page.screenshot({ path: `${OUT}/meeting-attendance.png`, fullPage: true })
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=attendance-export]')])
    assert.match(download.suggestedFilename(), /\.xlsx$/)
  })
})
