// Browser test on a phone (390 px): a new team of 渝中区 is behind on its quarterly duty; its
// project (published through the API, the window open now) is on the volunteer's phone: the
// volunteer registers on the public page, signs up for a position, finds itself again ("not me")
// by the full ID number and by an SMS code read from the development sender's log, the organizer accepts on the
// project page, the phone checks in and out through the QR URL of the organizer's screen, the
// organizer confirms the hours and corrects them with a reason, the phone downloads the
// certificate PDF whose QR code (pdftoppm + zbarimg) opens the public verification page, and the
// team's quarter turns from behind to done. Run by tests/e2e/run.sh on the demo city.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { WAIT, TEST, OUT, URL_BASE, useBrowser, withPage, login, pageApi } from './lib.mjs'

const USER = 'd500103_staff'
const PASSWORD = 'Demo@2026kepu'
const PHONE = { width: 390, height: 844 }
const NAME = '扫码服务志愿者'
const MOBILE = '13712340077'
const TITLE = '端到端科普讲解服务'

useBrowser()

// A JSON call with the page's session (cookie and CSRF header, see lib.mjs).
const api = pageApi

function idNumber() {
  const body = '11010519960715778'
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = w.reduce((s, x, i) => s + x * Number(body[i]), 0)
  return body + '10X98765432'[sum % 11]
}

// An RFC 3339 +08:00 time, minutes from now.
function at(minutes) {
  const d = new Date(Date.now() + minutes * 60000 + 8 * 3600000)
  return d.toISOString().slice(0, 19) + '+08:00'
}

async function dutyStatus(page, teamId) {
  await page.goto(`${URL_BASE}/volunteer-duty`)
  const tag = page.locator(`[data-test=duty-${teamId}]`)
  await tag.waitFor(WAIT)
  return (await tag.innerText()).trim()
}

async function checkinUrl(page) {
  await page.click('[data-test=vp-screen]')
  const url = page.locator('[data-test=vp-checkin-url]')
  await url.waitFor(WAIT)
  const text = (await url.innerText()).trim()
  await page.keyboard.press('Escape')
  return new URL(new URL(text).pathname, URL_BASE).href
}

test('a volunteer signs up, checks in and out by QR, gets hours and a certificate; the quarter turns done', TEST, async () => {
  await withPage('vservice-staff', PHONE, async (page) => {
    await login(page, USER, PASSWORD)
    const me = (await api(page, 'GET', '/me')).json
    const team = (await api(page, 'POST', '/volunteer-teams', { org_id: me.org_id, category: 'youth', name: '端到端青少年科技志愿服务队' })).json
    assert.ok(team.id, 'a new team')
    const project = (await api(page, 'POST', '/volunteer-projects', {
      team_id: team.id, title: TITLE, content: '扫码签到签退', starts_at: at(-5), ends_at: at(55), place: '解放碑社区',
      audience: 'public', status: 'published', positions: [{ name: '讲解员', headcount: 3 }],
    })).json
    assert.ok(project.id, 'a published project')
    assert.equal(await dutyStatus(page, team.id), '未完成')

    await withPage('vservice-phone', PHONE, async (phone) => {
      // the volunteer registers and signs up
      await phone.goto(`${URL_BASE}/v/register?org=${me.org_id}`)
      await phone.locator('[data-test=register-org]').waitFor(WAIT)
      await phone.fill('input[data-test=register-name]', NAME)
      await phone.fill('input[data-test=register-id]', idNumber())
      await phone.fill('input[data-test=register-phone]', MOBILE)
      await phone.click('[data-test=register-submit]')
      await phone.locator('[data-test=register-done]').waitFor(WAIT)
      await phone.click('[data-test=register-go-projects]')
      await phone.locator('[data-test=me-hello]', { hasText: NAME }).waitFor(WAIT)
      const card = phone.locator('[data-test=me-project]', { hasText: TITLE })
      await card.waitFor(WAIT)
      await card.locator('[data-test=me-position]').click()
      await phone.locator('.el-select-dropdown__item:visible', { hasText: '讲解员' }).first().click()
      await card.locator('[data-test=me-signup]').click()
      await card.locator('.el-tag', { hasText: '待审核' }).waitFor(WAIT)

      // "not me", then find me again: the last 4 characters are not enough, the full ID number is
      await phone.click('[data-test=me-not-me]')
      await phone.fill('input[data-test=me-phone]', MOBILE)
      await phone.fill('input[data-test=me-id]', idNumber().slice(14))
      await phone.click('[data-test=me-find]')
      await phone.locator('.el-form-item__error', { hasText: '18 位' }).waitFor(WAIT)
      await phone.fill('input[data-test=me-id]', idNumber())
      await phone.click('[data-test=me-find]')
      await phone.locator('[data-test=me-hello]', { hasText: NAME }).waitFor(WAIT)
      // and by a code sent to the phone (the development sender logs it, the number masked)
      await phone.click('[data-test=me-not-me]')
      await phone.fill('input[data-test=me-phone]', MOBILE)
      await phone.click('[data-test=me-by-code]')
      await phone.click('[data-test=me-send-code]')
      await phone.locator('[data-test=me-code-sent]').waitFor(WAIT)
      const log = readFileSync(`${OUT}/server.log`, 'utf8')
      assert.ok(!log.includes(MOBILE), 'the phone number never in the log')
      const sent = log.split('\n').filter((l) => l.includes(`${MOBILE.slice(0, 3)}****${MOBILE.slice(7)}`) && /code \d{6}/.test(l))
      assert.ok(sent.length > 0, 'a code was sent to the masked phone')
      await phone.fill('input[data-test=me-code]', sent.at(-1).match(/code (\d{6})/)[1])
      await phone.click('[data-test=me-find]')
      await phone.locator('[data-test=me-hello]', { hasText: NAME }).waitFor(WAIT)
      await phone.screenshot({ path: `${OUT}/volunteer-find-me.png` })

      // the organizer accepts
      await page.goto(`${URL_BASE}/volunteer-projects/${project.id}`)
      const row = page.locator('[data-test=vp-signups] .el-table__row', { hasText: NAME })
      await row.waitFor(WAIT)
      await row.locator('[data-test=vp-accept]').click()
      await row.locator('td', { hasText: '已录用' }).waitFor(WAIT)

      // check-in and check-out by the QR URL of the organizer's screen
      await phone.goto(await checkinUrl(page))
      await phone.click('[data-test=phone-in]')
      await phone.locator('[data-test=phone-done]', { hasText: '签到成功' }).waitFor(WAIT)
      await phone.goto(await checkinUrl(page))
      await phone.click('[data-test=phone-out]')
      await phone.locator('[data-test=phone-done]', { hasText: '签退成功' }).waitFor(WAIT)
      await phone.screenshot({ path: `${OUT}/volunteer-checkout.png` })

      // the organizer confirms (a few seconds present: not credited), then corrects with a reason
      await page.reload()
      await row.waitFor(WAIT)
      await page.click('[data-test=vp-confirm]')
      await page.locator('.kepu-confirm .el-button--primary').click()
      await page.locator('[data-test=vp-confirmed]').waitFor(WAIT)
      await row.locator('[data-test=vp-correct]').click()
      await page.locator('[data-test=vp-fix-minutes] input').fill('90')
      await page.click('[data-test=vp-fix-save]')
      await page.locator('.el-form-item__error').first().waitFor(WAIT)   // the reason is required
      await page.fill('input[data-test=vp-fix-reason]', '扫码签退过早，按签到表补录')
      await page.click('[data-test=vp-fix-save]')
      await row.locator('[data-test=vp-hours]', { hasText: '1.5' }).waitFor(WAIT)

      // the phone's record and certificate; its QR code opens the verification page
      await phone.goto(`${URL_BASE}/v/me`)
      await phone.locator('.el-tabs__item', { hasText: '服务记录' }).click()
      await phone.locator('[data-test=me-total]', { hasText: '1.5' }).waitFor(WAIT)
      const [download] = await Promise.all([phone.waitForEvent('download'), phone.click('[data-test=me-cert]')])
      const pdf = `${OUT}/volunteer-certificate.pdf`
      await download.saveAs(pdf)
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-']).toString()
      assert.match(text, /志愿服务时长证明/)
      assert.ok(text.includes(NAME) && !text.includes(idNumber()), 'the name, and the ID number only masked')
      execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', pdf, `${OUT}/volunteer-certificate`])
      const qr = execFileSync('zbarimg', ['-q', '--raw', `${OUT}/volunteer-certificate.png`]).toString().trim()
      assert.match(qr, /\/v\/cert\/[0-9a-f]{32}$/)
      await phone.goto(new URL(new URL(qr).pathname, URL_BASE).href)
      await phone.locator('[data-test=cert-genuine]').waitFor(WAIT)
      assert.match(await phone.locator('[data-test=cert-hours]').innerText(), /1\.5/)
      await phone.screenshot({ path: `${OUT}/volunteer-cert-verify.png` })
    })

    assert.equal(await dutyStatus(page, team.id), '已完成')
  })
})
