// Browser test: the volunteers' import dialog (the shared components/ImportDialog.vue) on a phone.
// The district's staff picks a two-row workbook (built by xlsx.mjs): the dialog counts its rows
// before the upload, the dry run answers one valid row and one with a bad phone, named by its
// column in the error table; nothing is written (the dry run only). Run by tests/e2e/run.sh.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { WAIT, TEST, OUT, useBrowser, withPage, login } from './lib.mjs'
import { workbook } from './xlsx.mjs'

useBrowser()

// A valid resident ID number (GB 11643 check character), not one of the demo's.
function idNumber(body) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = w.reduce((s, x, i) => s + x * Number(body[i]), 0)
  return body + '10X98765432'[sum % 11]
}

test('the volunteer import dialog counts the rows and names the bad one', TEST, async () => {
  const rows = [['姓名', '身份证号', '手机号'],
    ['导入志愿者甲', idNumber('11010519880312345'), '13712349001'],
    ['导入志愿者乙', idNumber('11010519900101234'), '1371234']]
  const file = `${OUT}/volunteers-import.xlsx`
  writeFileSync(file, workbook(rows, '科技志愿者'))

  await withPage('volunteer-import', { width: 390, height: 844 }, async (page) => {
    await login(page, 'd500103_staff', 'Demo@2026kepu')
    await page.goto(new URL('/volunteers', page.url()).href)
    await page.click('[data-test=volunteer-import]')
    const dialog = page.locator('[data-test=volunteer-import-dialog]')
    await dialog.waitFor(WAIT)
    await dialog.locator('.el-select').first().click()
    await page.locator('.el-tree-node__content:visible', { hasText: '渝中区' }).first().click()
    await page.setInputFiles('[data-test=volunteer-import-file]', file)
    assert.equal((await page.locator('[data-test=volunteer-import-rows]').innerText()).trim(), '共 2 行数据')
    await page.click('[data-test=volunteer-import-check]')
    const summary = page.locator('[data-test=volunteer-import-summary]')
    await summary.waitFor(WAIT)
    assert.match(await summary.innerText(), /共 2 行：1 行有效，1 行有问题/)
    const errors = page.locator('[data-test=volunteer-import-errors] .el-table__body tr')
    assert.equal(await errors.count(), 1)
    assert.match(await errors.first().innerText(), /3\s+手机号/)
    await page.screenshot({ path: `${OUT}/volunteer-import.png` })
  })
})
