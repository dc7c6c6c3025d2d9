// Browser test: the 渝中区 district admin opens the teacher pool on a phone, sees its own
// district's teachers with masked numbers, opens a filed teacher's page (certification
// timeline, letter); the letter's public verification page answers without a login, and a
// forged code is reported as not found.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { URL_BASE, WAIT, TEST, useBrowser, withPage, login } from './lib.mjs'

const USER = 'd500103_admin'
const PASSWORD = 'Demo@2026kepu'
const PHONE = { width: 390, height: 844 }

useBrowser()

let letterCode = null
let teacherName = null

test('district admin sees its teachers masked and a filed teacher\'s history', TEST, async () => {
  await withPage('teachers-phone', PHONE, async (page) => {
    await login(page, USER, PASSWORD)
    await page.goto(`${URL_BASE}/teachers`)
    const table = page.locator('[data-test=teacher-table]')
    await table.locator('.el-table__row').first().waitFor(WAIT)
    // The API behind the page: only 渝中区's teachers, numbers masked.
    const list = await page.evaluate(async () => {
      const res = await fetch('/api/v1/teachers?status=filed')
      return res.json()
    })
    assert.ok(list.total > 0, 'the district has filed teachers')
    for (const x of list.items) {
      assert.match(x.id_number, /^\d{4}\*{10}[\dX]{4}$/)
      assert.match(x.phone, /^\d{3}\*{4}\d{4}$/)
    }
    const filed = list.items[0]
    teacherName = filed.name
    await page.goto(`${URL_BASE}/teachers/${filed.id}`)
    const history = page.locator('[data-test=teacher-history]')
    await history.waitFor(WAIT)
    const text = await history.innerText()
    assert.match(text, /认定并颁发聘书/)
    assert.match(text, /报总校备案/)
    await page.locator('[data-test=teacher-letter-download]').waitFor(WAIT)
    const profile = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/teachers/${id}/profile`)
      return res.json()
    }, filed.id)
    letterCode = profile.letters[0].code
  })
})

test('the letter\'s public page needs no login; a forged code is not found', TEST, async () => {
  assert.ok(letterCode, 'a letter code from the first test')
  await withPage('verify-phone', PHONE, async (page) => {
    await page.goto(`${URL_BASE}/verify/letters/${letterCode}`)
    const name = page.locator('[data-test=verify-name]')
    await name.waitFor(WAIT)
    assert.equal((await name.innerText()).trim(), teacherName)
    assert.match(await page.locator('[data-test=verify-result]').innerText(), /真实有效/)
    assert.ok(page.url().includes('/verify/letters/'), 'not sent to the login page')
    const forged = (letterCode[0] === 'a' ? 'b' : 'a') + letterCode.slice(1)
    await page.goto(`${URL_BASE}/verify/letters/${forged}`)
    await page.locator('[data-test=verify-forged]').waitFor(WAIT)
  })
})
