// Browser test on a phone (390 px): a volunteer registers on the public page of 渝中区 (/v/register
// ?org=<id>) and applies to the district's squad; then the district's staff, on a phone too,
// finds the volunteer in the list (phone and ID number masked, the whole numbers nowhere on the
// page), opens the team page, approves the application, and the volunteer is an active member.
// Run by tests/e2e/run.sh on the demo city.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WAIT, TEST, OUT, URL_BASE, useBrowser, withPage, login, pageApi } from './lib.mjs'

const USER = 'd500103_staff'
const PASSWORD = 'Demo@2026kepu'
const PHONE = { width: 390, height: 844 }
const NAME = '扫码注册志愿者'
const MOBILE = '13712340001'

useBrowser()

// A JSON call with the page's session (cookie and CSRF header, see lib.mjs).
const api = pageApi

// A valid resident ID number (GB 11643 check character), not one of the demo's.
function idNumber() {
  const body = '11010519950615777'
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = w.reduce((s, x, i) => s + x * Number(body[i]), 0)
  return body + '10X98765432'[sum % 11]
}

test('a volunteer registers on a phone and staff approve them into a team', TEST, async () => {
  const ID = idNumber()
  await withPage('volunteer-staff', PHONE, async (page) => {
    await login(page, USER, PASSWORD)
    const me = (await api(page, 'GET', '/me')).json
    const district = me.org_id
    const teams = (await api(page, 'GET', `/volunteer-teams?org_id=${district}&category=district&status=active`)).json
    assert.ok(teams.items.length, 'the district has its squad')
    const team = teams.items[0]

    // the volunteer's phone: no login
    await withPage('volunteer-register', PHONE, async (phone) => {
      await phone.goto(`${URL_BASE}/v/register?org=${district}`)
      await phone.locator('[data-test=register-org]', { hasText: '渝中区' }).waitFor(WAIT)
      await phone.fill('input[data-test=register-name]', NAME)
      await phone.fill('input[data-test=register-id]', ID.slice(0, 17) + (ID[17] === '1' ? '2' : '1'))
      await phone.fill('input[data-test=register-phone]', MOBILE)
      await phone.click('[data-test=register-submit]')
      // a wrong check digit is caught on the phone, before anything is sent
      await phone.locator('.el-form-item__error', { hasText: '身份证号' }).waitFor(WAIT)
      await phone.fill('input[data-test=register-id]', ID)
      await phone.click('[data-test=register-team]')
      await phone.locator('.el-select-dropdown__item', { hasText: team.name }).first().click()
      await phone.click('[data-test=register-submit]')
      await phone.locator('[data-test=register-done]').waitFor(WAIT)
      assert.match(await phone.locator('[data-test=register-number]').innerText(), /KP\d{10}/)
      const text = await phone.locator('body').innerText()
      assert.ok(!text.includes(ID) && !text.includes(MOBILE), 'the numbers are not shown back')
      await phone.screenshot({ path: `${OUT}/volunteer-register.png` })
    })

    // staff find the volunteer: masked
    await page.goto(new URL('/volunteers', page.url()).href)
    await page.fill('input[data-test=volunteer-search]', NAME)
    await page.press('input[data-test=volunteer-search]', 'Enter')
    const row = page.locator('[data-test=volunteer-table] .el-table__row', { hasText: NAME })
    await row.first().waitFor(WAIT)
    const rowText = await row.first().innerText()
    assert.ok(rowText.includes('137****0001'), `masked phone in the list: ${rowText}`)
    assert.ok(!(await page.locator('body').innerText()).includes(MOBILE))
    await row.first().locator('[data-test=volunteer-link]').click()
    await page.locator('[data-test=volunteer-profile]').waitFor(WAIT)
    assert.equal((await page.locator('[data-test=volunteer-id-number]').innerText()).trim(), `${ID.slice(0, 4)}**********${ID.slice(14)}`)
    assert.ok(!(await page.locator('body').innerText()).includes(ID))
    assert.equal(await page.locator('[data-test=volunteer-reveal]').count(), 0, 'staff cannot reveal')

    // the team page: the application waits; approve it
    await page.goto(new URL(`/volunteer-teams/${team.id}`, page.url()).href)
    await page.locator('[data-test=team-title]', { hasText: team.name }).waitFor(WAIT)
    const pending = page.locator('[data-test=members-pending] .el-table__row', { hasText: NAME })
    await pending.waitFor(WAIT)
    await page.screenshot({ path: `${OUT}/volunteer-team-pending.png` })
    await pending.locator('[data-test=member-approve]').click()
    await page.locator('[data-test=members-active] .el-table__row', { hasText: NAME }).waitFor(WAIT)

    const found = (await api(page, 'GET', `/volunteers?q=${encodeURIComponent(NAME)}`)).json.items[0]
    const profile = (await api(page, 'GET', `/volunteers/${found.id}`)).json
    const membership = profile.teams.find((m) => m.team_id === team.id)
    assert.equal(membership.status, 'active')
    assert.equal(profile.source, 'self')
  })
})
