// Browser test (1366x768): the teacher pool's and the organization tree's Excel imports (issue 14
// item 14, second half). On the teachers page the district's staff opens 导入, picks the unit and a
// workbook (built by xlsx.mjs) with two good rows and one row with four problems: the dry run lists
// every problem of that row by its column, the commit records the two good rows and the list shows
// them (and not the bad one). On the organizations page the district's admin imports a street and a
// point under it (the point names the street of the row above as its parent) plus a bad row: the
// dry run names the bad row's problems, the commit puts the two nodes in the tree.
// Run by tests/e2e/run.sh.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { WAIT, TEST, OUT, useBrowser, withPage, login } from './lib.mjs'
import { workbook } from './xlsx.mjs'

useBrowser()
const PASSWORD = 'Demo@2026kepu'

// A valid resident ID number (GB 11643 check digit) born on 1980-01-01 with the given serial.
function idNumber(serial) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const body = `50010319800101${String(serial % 1000).padStart(3, '0')}`
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0)
  return body + '10X98765432'[sum % 11]
}

// The error rows the dialog lists, as "row column problem" texts.
async function errorRows(page, prefix) {
  const rows = page.locator(`[data-test=${prefix}-errors] .el-table__body tr`)
  return rows.allInnerTexts()
}

test('the teacher import lists every problem of a row, then records the good rows', TEST, async () => {
  const stamp = String(Date.now()).slice(-5)
  const serial = Number(stamp) % 900
  const bad = idNumber(serial + 2).slice(0, 17) + (idNumber(serial + 2)[17] === '1' ? '2' : '1')
  const rows = [['姓名', '身份证号', '手机号', '性别', '工作单位', '职称', '专业特长'],
    [`表格教师甲${stamp}`, idNumber(serial), '13600001111', '', '区人民医院', '主任医师', '营养学、急救'],
    [`表格教师乙${stamp}`, idNumber(serial + 1), '', '女', '区科技馆', '', ''],
    [`表格教师错${stamp}`, bad, '1360000', '未知', '', '', '这一项专业特长写得实在是太长太长太长了超过了三十个字的限制啊真的']]
  const file = `${OUT}/teachers-import.xlsx`
  writeFileSync(file, workbook(rows, '师资库'))

  await withPage('teacher-import', { width: 1366, height: 768 }, async (page) => {
    await login(page, 'd500103_staff', PASSWORD)
    await page.goto(new URL('/teachers', page.url()).href)
    await page.click('[data-test=teacher-import]')
    const dialog = page.locator('[data-test=teacher-import-dialog]')
    await dialog.waitFor(WAIT)
    await dialog.locator('.el-select').first().click()
    await page.locator('.el-tree-node__content:visible', { hasText: '渝中区' }).first().click()
    await page.setInputFiles('[data-test=teacher-import-file]', file)
    assert.equal((await page.locator('[data-test=teacher-import-rows]').innerText()).trim(), '共 3 行数据')
    await page.click('[data-test=teacher-import-check]')
    const summary = page.locator('[data-test=teacher-import-summary]')
    await summary.waitFor(WAIT)
    assert.match(await summary.innerText(), /共 3 行：2 行有效，1 行有问题/)
    const texts = await errorRows(page, 'teacher-import')
    assert.equal(texts.length, 4, texts.join('\n'))
    assert.match(texts[0], /4\s+身份证号/)
    assert.match(texts[1], /4\s+手机号/)
    assert.match(texts[2], /4\s+性别/)
    assert.match(texts[3], /4\s+专业特长/)
    assert.ok(!texts.join('\n').includes(bad), 'the ID number is never echoed')
    await page.screenshot({ path: `${OUT}/teacher-import-check.png` })

    await page.click('[data-test=teacher-import-commit]')
    await page.locator('[data-test=teacher-import-summary]', { hasText: '已导入 2 条' }).waitFor(WAIT)
    await page.keyboard.press('Escape')
    await page.fill('input[data-test=teacher-search], [data-test=teacher-search] input', '表格教师')
    await page.keyboard.press('Enter')
    const table = page.locator('[data-test=teacher-table] .el-table__body-wrapper')
    const first = table.locator('tr', { hasText: `表格教师甲${stamp}` }).first()
    await first.waitFor(WAIT)
    assert.match(await first.innerText(), /136\*\*\*\*1111/)   // masked, as every teacher
    await table.locator('tr', { hasText: `表格教师乙${stamp}` }).first().waitFor(WAIT)
    assert.equal(await table.locator('tr', { hasText: `表格教师错${stamp}` }).count(), 0)
    await page.screenshot({ path: `${OUT}/teacher-import-done.png` })
  })
})

test('the organization import puts a street and its point under the district', TEST, async () => {
  const stamp = String(Date.now()).slice(-5)
  const rows = [['机构名称', '机构类型', '机构代码', '上级机构'],
    [`表格街道${stamp}`, '街道/镇乡', `XLS${stamp}`, ''],
    [`表格教学点${stamp}`, '教学点', '', `XLS${stamp}`],
    ['', '外星机构', '', '不存在的上级']]
  const file = `${OUT}/orgs-import.xlsx`
  writeFileSync(file, workbook(rows, '组织机构'))

  await withPage('org-import', { width: 1366, height: 768 }, async (page) => {
    await login(page, 'd500103_admin', PASSWORD)
    await page.goto(new URL('/orgs', page.url()).href)
    await page.locator('[data-test=org-tree] .el-tree-node__content', { hasText: '渝中区' }).first().click()
    await page.click('[data-test=org-import]')
    const dialog = page.locator('[data-test=org-import-dialog]')
    await dialog.waitFor(WAIT)
    await page.setInputFiles('[data-test=org-import-file]', file)
    await page.click('[data-test=org-import-check]')
    const summary = page.locator('[data-test=org-import-summary]')
    await summary.waitFor(WAIT)
    assert.match(await summary.innerText(), /共 3 行：2 行有效，1 行有问题/)
    const texts = await errorRows(page, 'org-import')
    assert.equal(texts.length, 3, texts.join('\n'))
    assert.match(texts[0], /4\s+机构名称/)
    assert.match(texts[1], /4\s+机构类型/)
    assert.match(texts[2], /4\s+上级机构/)
    await page.screenshot({ path: `${OUT}/org-import-check.png` })

    await page.click('[data-test=org-import-commit]')
    await page.locator('[data-test=org-import-summary]', { hasText: '已导入 2 条' }).waitFor(WAIT)
    await page.keyboard.press('Escape')
    // the street among the district's children, the point under the street
    await page.locator('[data-test=org-children] tr', { hasText: `表格街道${stamp}` }).first().waitFor(WAIT)
    await page.locator('[data-test=org-search] input, input[data-test=org-search]').fill(`表格`)
    await page.locator('[data-test=org-tree] .el-tree-node__content', { hasText: `表格街道${stamp}` }).first().click()
    await page.locator('[data-test=org-children] tr', { hasText: `表格教学点${stamp}` }).first().waitFor(WAIT)
    await page.screenshot({ path: `${OUT}/org-import-done.png` })
  })
})
