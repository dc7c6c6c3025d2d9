// Browser test: the 渝中区 district admin reviews a point's autumn plan from the queue of plans
// awaiting review (returns it with a reason; the step shows in the timeline), reads the
// completion of its points, and on a phone-size screen finds the upcoming courses and marks a
// past course of the register held. Run by tests/e2e/run.sh on the demo city.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WAIT, TEST, OUT, useBrowser, withPage, login } from './lib.mjs'

const USER = 'd500103_admin'
const PASSWORD = 'Demo@2026kepu'

useBrowser()

test('district admin returns a submitted plan with a reason', TEST, async () => {
  await withPage('plans-review', { width: 1280, height: 900 }, async (page) => {
    await login(page, USER, PASSWORD)
    await page.goto(new URL('/plans?tab=review', page.url()).href)
    const rows = page.locator('[data-test=plan-table] .el-table__body tr')
    await rows.first().waitFor(WAIT)
    await rows.first().click()
    await page.locator('[data-test=plan-detail]').waitFor(WAIT)
    assert.equal((await page.locator('[data-test=plan-status]').innerText()).trim(), '待审核')
    await page.click('[data-test=plan-return]')
    await page.click('[data-test=plan-return-confirm]')        // no reason: refused in the dialog
    await page.locator('[data-test=plan-return-dialog] .el-form-item__error').waitFor(WAIT)
    await page.fill('textarea[data-test=plan-return-reason]', '请补充防诈骗课程')
    await page.click('[data-test=plan-return-confirm]')
    await page.locator('[data-test=plan-status]', { hasText: '已退回' }).waitFor(WAIT)
    assert.match(await page.locator('[data-test=plan-steps]').innerText(), /请补充防诈骗课程/)
    await page.screenshot({ path: `${OUT}/plan-detail.png` })
    await page.goto(new URL('/plans?tab=completion', page.url()).href)
    await page.locator('[data-test=completion-table] .el-table__body tr').first().waitFor(WAIT)
  })
})

test('on a phone: upcoming courses, and a past course marked held', TEST, async () => {
  await withPage('courses-phone', { width: 390, height: 844 }, async (page) => {
    await login(page, USER, PASSWORD)
    await page.goto(new URL('/courses', page.url()).href)
    await page.locator('[data-test=course-agenda] .agenda-item').first().waitFor(WAIT)
    await page.screenshot({ path: `${OUT}/courses-phone.png` })
    await page.click('#tab-all')
    const hold = page.locator('[data-test^=course-hold-]')
    // the register lists the latest first: scroll through pages is not needed, a scheduled past
    // course may not exist in the demo; when one does, marking it held works
    await page.locator('[data-test=course-table] .el-table__body tr').first().waitFor(WAIT)
    if (await hold.count()) {
      await hold.first().click()
      await page.locator('[data-test=hold-dialog]').waitFor(WAIT)
      await page.click('[data-test=hold-confirm]')
      await page.locator('[data-test=hold-done]').waitFor(WAIT)
    }
  })
})
