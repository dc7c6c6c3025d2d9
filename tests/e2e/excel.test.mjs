// Browser tests (1366x768) of the Excel files as staff get them (issue 14 items 12 and 13), on the
// demo city (tests/e2e/run.sh). Each file is taken from the page's own button (playwright's
// download event) and read in node by xlsx.mjs (zip + the sheet, styles and strings XML):
// - item 12: the activity list's export with a filter set (title row, the UI's column names and
//   the form's extra fields, date cells, number cells, the totals row, the frozen header), and a
//   statistics export (the volunteer hours by team of a quarter, 季度履职);
// - item 13: the students' import template from the dialog's link (ID and phone columns
//   text-formatted, drop-downs, the instructions sheet), then a sheet whose bad row has several
//   problems, every one of them listed in the dialog.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { WAIT, TEST, OUT, useBrowser, withPage, login, pageApi } from './lib.mjs'
import { workbook, readWorkbook, isDate, styleFormat } from './xlsx.mjs'

const PASSWORD = 'Demo@2026kepu'
const DESKTOP = { width: 1366, height: 768 }

useBrowser()

// Clicks `selector` and resolves the download it starts: { name, book } (the parsed workbook).
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download', WAIT), page.click(selector)])
  const path = `${OUT}/${file.suggestedFilename()}`
  await file.saveAs(path)
  return { name: file.suggestedFilename(), book: readWorkbook(readFileSync(path)) }
}

const text = (cell) => (cell?.value == null ? '' : String(cell.value))
// An Excel date serial (days since 1899-12-30) as YYYY-MM-DD.
const day = (serial) => new Date(Math.round((serial - 25569) * 86400000)).toISOString().slice(0, 10)
// '(元)' and '（元）' alike: the UI's narrow columns use ASCII brackets.
const norm = (s) => s.replace(/\(/g, '（').replace(/\)/g, '）').trim()

// Checks a totals row (合计) under a header row: every numeric column of the data rows sums to the
// value saved with its SUM() formula. Returns { column header: sum }.
function checkTotals(sheet, headerRow, numericHeaders) {
  const headers = sheet.rows[headerRow].map(text)
  const last = sheet.rows.length - 1
  assert.equal(text(sheet.rows[last][0]), '合计', 'the last row is the totals row')
  const data = sheet.rows.slice(headerRow + 1, last)
  const sums = {}
  for (const h of numericHeaders) {
    const c = headers.indexOf(h)
    assert.ok(c >= 0, `column ${h}`)
    let sum = 0
    for (const row of data) {
      assert.equal(row[c]?.type, 'n', `${row[c]?.ref ?? h}: a number cell`)
      assert.equal(typeof row[c].value, 'number')
      sum += row[c].value
    }
    const total = sheet.rows[last][c]
    assert.equal(total.type, 'n', `${h}: the total is a number`)
    assert.match(total.formula || '', /^SUM\(/, `${h}: the total is a SUM()`)
    assert.ok(Math.abs(total.value - sum) < 1e-6, `${h}: total ${total.value} = the rows' sum ${sum}`)
    sums[h] = sum
  }
  return sums
}

test('the activity export: filter in the title, the UI\'s headers, date and number cells, totals, frozen header (item 12)', TEST, async () => {
  const stamp = String(Date.now()).slice(-6)
  await withPage('excel-activities', DESKTOP, async (page) => {
    await login(page, 'd500103_staff', PASSWORD)
    // one lecture with the form's extra fields, so their cells can be checked
    const me = (await pageApi(page, 'GET', '/me')).json
    const made = await pageApi(page, 'POST', '/activities', {
      org_id: me.org_id, kind: 'lecture', title: `导出核对讲座${stamp}`, start_date: '2026-03-14', end_date: '2026-03-15',
      audience: 'elderly', tags: ['健康', '防诈骗'], co_organizers: '渝中区科协、解放碑街道',
      description: `核对导出的讲座${stamp}`, participants: 37, funds: 1200,
    })
    assert.equal(made.status, 201, JSON.stringify(made.json))

    await page.goto(new URL('/activities', page.url()).href)
    const table = page.locator('[data-test=activity-table]')
    await table.locator('.el-table__body tr').first().waitFor(WAIT)
    await page.click('[data-test=activity-kind-filter]')
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: /^讲座$/ }).click()
    const expected = (await pageApi(page, 'GET', '/activities?kind=lecture&page_size=1')).json.total
    await page.locator('.el-pagination__total', { hasText: `共 ${expected} 条` }).waitFor(WAIT)
    // the UI's column names, as the table shows them (the selection and actions columns aside)
    const uiHeaders = (await table.locator('.el-table__header th').allInnerTexts()).map((s) => s.trim())
      .filter((s) => s && s !== '操作')

    const { name, book } = await download(page, '[data-test=activity-export]')
    assert.equal(name, '活动登记.xlsx')
    const sheet = book.sheets[0]
    assert.equal(sheet.name, '活动登记')
    // the title row names the filter set on the page
    assert.match(text(sheet.rows[0][0]), /筛选条件：.*活动类型 讲座/)
    // the header row (under the title) and the title are frozen: the pane starts at A3
    assert.equal(sheet.frozen, 'A3')
    const headers = sheet.rows[1].map(text)
    for (const h of uiHeaders)
      assert.ok(headers.some((x) => norm(x).startsWith(norm(h))), `the UI's column ${h} is in the export: ${headers}`)
    for (const h of ['受众人群', '标签', '协办单位', '活动简介', '结束日期', '活动地点', '登记时间'])
      assert.ok(headers.includes(h), `column ${h}`)
    assert.ok(headers.every((h) => /[\u4e00-\u9fff]/.test(h)), 'every header is Chinese')

    const data = sheet.rows.slice(2, -1)
    assert.equal(data.length, expected, 'one row per activity of the filtered list')
    const col = (h) => headers.indexOf(h)
    for (const row of data) {
      assert.equal(text(row[col('活动类型')]), '讲座')
      for (const h of ['开始日期', '结束日期', '登记时间'])
        assert.ok(isDate(row[col(h)]), `${row[col(h)]?.ref}: a date cell (number ${row[col(h)]?.value}, format ${row[col(h)]?.numFmt})`)
    }
    const mine = data.find((r) => text(r[col('活动名称')]) === `导出核对讲座${stamp}`)
    assert.ok(mine, 'the lecture made for the test is exported')
    assert.equal(day(mine[col('开始日期')].value), '2026-03-14')
    assert.equal(day(mine[col('结束日期')].value), '2026-03-15')
    assert.equal(text(mine[col('受众人群')]), '老年人')
    assert.equal(text(mine[col('标签')]), '健康、防诈骗')
    assert.equal(text(mine[col('协办单位')]), '渝中区科协、解放碑街道')
    assert.equal(text(mine[col('活动简介')]), `核对导出的讲座${stamp}`)
    assert.equal(mine[col('参与人数')].value, 37)
    assert.equal(mine[col('经费（元）')].value, 1200)

    const counts = headers.slice(col('参与人数'), col('经费（元）') + 1)
    const sums = checkTotals(sheet, 1, counts)
    assert.ok(sums['参与人数'] > 37, `the participants total ${sums['参与人数']} adds up every lecture`)
    assert.ok(sums['经费（元）'] >= 1200)
  })
})

test('a statistics export: the volunteer hours of a quarter by team, numbers and totals (item 12)', TEST, async () => {
  await withPage('excel-hours', DESKTOP, async (page) => {
    await login(page, 'd500103_staff', PASSWORD)
    await page.goto(new URL('/volunteer-duty', page.url()).href)
    await page.locator('[data-test=duty-table]').waitFor(WAIT)
    // the last whole quarter (the second in the list, the current one first): its hours are confirmed
    await page.click('[data-test=duty-quarter]')
    const option = page.locator('.el-select-dropdown__item:visible').nth(1)
    const quarter = (await option.innerText()).trim()
    assert.match(quarter, /^\d{4}Q[1-4]$/)
    await option.click()

    const { name, book } = await download(page, '[data-test=duty-export]')
    assert.equal(name, '志愿服务时长.xlsx')
    const sheet = book.sheets[0]
    assert.match(text(sheet.rows[0][0]), new RegExp(`期间 ${quarter}`))
    assert.equal(sheet.frozen, 'A3')
    const headers = sheet.rows[1].map(text)
    assert.deepEqual(headers, ['服务队', '所属单位', '期间', '活动数', '服务人次', '服务时长（小时）'])
    assert.ok(sheet.rows.length > 3, 'at least one team served in the quarter')
    const sums = checkTotals(sheet, 1, ['活动数', '服务人次', '服务时长（小时）'])
    assert.ok(sums['服务时长（小时）'] > 0, `hours served: ${sums['服务时长（小时）']}`)
    assert.ok(sums['活动数'] > 0)
  })
})

// A valid resident ID number (GB 11643 check character), not one of the demo's.
function idNumber(body) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = w.reduce((s, x, i) => s + x * Number(body[i]), 0)
  return body + '10X98765432'[sum % 11]
}

test('the student import template from the dialog, and every problem of a bad row listed (item 13)', TEST, async () => {
  await withPage('excel-student-import', DESKTOP, async (page) => {
    await login(page, 'd500103_point', PASSWORD)
    await page.goto(new URL('/students', page.url()).href)
    await page.click('[data-test=student-import]')
    const dialog = page.locator('[data-test=student-import-dialog]')
    await dialog.waitFor(WAIT)

    const { book } = await download(page, '[data-test=student-import-template]')
    const data = book.sheets[0]
    const headers = data.rows[0].map(text)
    assert.deepEqual(headers.slice(0, 2), ['姓名', '手机号'])
    // the ID and phone columns are formatted as text ("@"), so Excel keeps every digit
    for (const h of ['身份证号', '手机号']) {
      const n = headers.indexOf(h) + 1
      assert.ok(n > 0, `column ${h}`)
      const spec = data.cols.find((c) => c.min <= n && n <= c.max)
      assert.ok(spec, `${h} has a column format`)
      assert.equal(styleFormat(book.styles, spec.style), '@', `${h} is a text column`)
    }
    assert.equal(styleFormat(book.styles, data.cols.find((c) => c.min === 1).style) === '@', false, '姓名 is not forced to text')
    // a drop-down on the coded gender column
    const gender = String.fromCharCode(65 + headers.indexOf('性别'))
    const list = data.validations.find((v) => v.type === 'list' && v.sqref.startsWith(`${gender}2:`))
    assert.ok(list, `a drop-down on 性别: ${JSON.stringify(data.validations)}`)
    assert.match(list.formula1, /男/)
    assert.match(list.formula1, /女/)
    // the instructions sheet, with every column described
    const help = book.sheets.find((s) => s.name === '填写说明')
    assert.ok(help, `an instructions sheet: ${book.sheets.map((s) => s.name)}`)
    const described = help.rows.map((r) => text(r?.[0]))
    for (const h of headers) assert.ok(described.includes(h), `${h} is described on the instructions sheet`)

    // one good row, one row with four problems (phone, gender, age band, ID number)
    const stamp = String(Date.now()).slice(-6)
    const rows = [headers,
      [`表格学员${stamp}`, '13712345678', '女', '60-69岁', idNumber('11010519600312345'), '否'],
      [`表格错行${stamp}`, '1371234', '未知', '一百岁', '110105196003123', '否']]
    const file = `${OUT}/students-several-errors.xlsx`
    writeFileSync(file, workbook(rows.map((r) => r.slice(0, headers.length)), '学员'))
    await dialog.locator('.el-select').first().click()
    await page.locator('.el-tree-node__content:visible', { hasText: '科普大学教学点' }).first().click()
    await page.setInputFiles('[data-test=student-import-file]', file)
    await page.click('[data-test=student-import-check]')
    const summary = page.locator('[data-test=student-import-summary]')
    await summary.waitFor(WAIT)
    assert.match(await summary.innerText(), /共 2 行：1 行可导入，1 行有问题/)
    const errors = (await page.locator('[data-test=student-import-errors] .el-table__body tr').allInnerTexts())
      .map((s) => s.split(/\s+/).filter(Boolean))
    assert.ok(errors.every((e) => e[0] === '3'), `only the third row is wrong: ${JSON.stringify(errors)}`)
    assert.deepEqual(errors.map((e) => e[1]).sort(), ['身份证号', '年龄段', '性别', '手机号'].sort(),
      `every problem of the row is listed: ${JSON.stringify(errors)}`)
    await page.screenshot({ path: `${OUT}/excel-student-import.png` })
  })
})
