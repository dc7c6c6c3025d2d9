// Browser test (1366x768): the activity register's Excel import (issue 14 item 14) on the
// activities page. The district's staff opens 导入, picks the unit and a three-row workbook (built by
// xlsx.mjs): the dry run answers two valid rows and one row with three problems, each named by its
// column (every problem of a row, item 13); the commit records the two, and the list shows them.
// Run by tests/e2e/run.sh.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { WAIT, TEST, OUT, useBrowser, withPage, login } from './lib.mjs'
import { workbook } from './xlsx.mjs'

useBrowser()

test('the activity import checks every problem of a row, then records the valid rows', TEST, async () => {
  const stamp = String(Date.now()).slice(-6)
  const rows = [['活动名称', '活动类型', '开始日期', '结束日期', '活动对象', '参与人数'],
    [`表格导入讲座${stamp}`, '讲座', '2026-03-01', '', '老年人', '120'],
    [`表格导入培训${stamp}`, '培训', '2026/3/5', '2026年3月6日', '', '40'],
    [`表格导入错行${stamp}`, '不存在的类型', '2026-02-30', '', '', '']]
  const file = `${OUT}/activities-import.xlsx`
  writeFileSync(file, workbook(rows, '活动登记'))

  await withPage('activity-import', { width: 1366, height: 768 }, async (page) => {
    await login(page, 'd500103_staff', 'Demo@2026kepu')
    await page.goto(new URL('/activities', page.url()).href)
    await page.click('[data-test=activity-import]')
    const dialog = page.locator('[data-test=activity-import-dialog]')
    await dialog.waitFor(WAIT)
    await dialog.locator('.el-select').first().click()
    await page.locator('.el-tree-node__content:visible', { hasText: '渝中区' }).first().click()
    await page.setInputFiles('[data-test=activity-import-file]', file)
    assert.equal((await page.locator('[data-test=activity-import-rows]').innerText()).trim(), '共 3 行数据')
    await page.click('[data-test=activity-import-check]')
    const summary = page.locator('[data-test=activity-import-summary]')
    await summary.waitFor(WAIT)
    assert.match(await summary.innerText(), /共 3 行：2 行有效，1 行有问题/)
    const errors = page.locator('[data-test=activity-import-errors] .el-table__body tr')
    assert.equal(await errors.count(), 3)
    const texts = await errors.allInnerTexts()
    assert.match(texts[0], /4\s+活动类型/)
    assert.match(texts[1], /4\s+开始日期/)
    assert.match(texts[2], /4\s+参与人数/)
    await page.screenshot({ path: `${OUT}/activity-import-check.png` })

    await page.click('[data-test=activity-import-commit]')
    await page.locator('[data-test=activity-import-summary]', { hasText: '已导入 2 条' }).waitFor(WAIT)
    await page.keyboard.press('Escape')
    await page.fill('input[data-test=activity-search], [data-test=activity-search] input', `表格导入`)
    await page.keyboard.press('Enter')
    const table = page.locator('[data-test=activity-table] .el-table__body-wrapper')
    await table.locator('tr', { hasText: `表格导入讲座${stamp}` }).first().waitFor(WAIT)
    await table.locator('tr', { hasText: `表格导入培训${stamp}` }).first().waitFor(WAIT)
    assert.equal(await table.locator('tr', { hasText: `表格导入错行${stamp}` }).count(), 0)
    await page.screenshot({ path: `${OUT}/activity-import-done.png` })
  })
})
