// Browser test (issue 17 A): the question bank (题库). The 渝中区 administrator sees the city's demo
// questions read only, adds a single-choice question in the dialog (four options, B ticked),
// edits its key to C (version 2, back to draft), approves it, reads both versions in the drawer
// (version 1 still answers B), then imports a workbook with one bad row: the dry run names the
// bad row's every problem by its column and writes nothing. The page also opens on a 390 px phone.
// Run by tests/e2e/run.sh on the demo city.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { WAIT, TEST, OUT, URL_BASE, useBrowser, withPage, login, pageApi as api } from './lib.mjs'
import { workbook } from './xlsx.mjs'

const PASSWORD = 'Demo@2026kepu'
useBrowser()

test('a question is written, versioned, approved and imported with a dry run', TEST, async () => {
  const stamp = String(Date.now()).slice(-6)
  const stem = `垃圾分类中，废旧荧光灯管属于哪一类？${stamp}`
  await withPage('questions', { width: 1366, height: 900 }, async (page) => {
    await login(page, 'd500103_admin', PASSWORD)
    await page.goto(`${URL_BASE}/questions`)
    const table = page.locator('[data-test=question-table] .el-table__body-wrapper')
    // the city's bank, read only: no edit button on its rows
    await table.locator('tr', { hasText: '上级题库，只读' }).first().waitFor(WAIT)

    await page.click('[data-test=question-add]')
    const dialog = page.locator('[data-test=question-dialog]')
    await dialog.waitFor(WAIT)
    await page.fill('textarea[data-test=qf-stem]', stem)
    for (const [l, text] of [['A', '可回收物'], ['B', '有害垃圾'], ['C', '厨余垃圾'], ['D', '其他垃圾']]) {
      await page.fill(`input[data-test=qf-option-text-${l}]`, text)
    }
    await page.click('[data-test=qf-correct-B]')
    await page.click('[data-test=qf-save]')
    await dialog.waitFor({ state: 'hidden', ...WAIT })
    const found = await api(page, 'GET', `/questions?q=${encodeURIComponent(stamp)}`)
    assert.equal(found.json.total, 1)
    const q = found.json.items[0]
    assert.equal(q.answer, 'B')
    assert.equal(q.status, 'drafted')
    await page.fill('input[data-test=question-search]', stamp)
    await page.keyboard.press('Enter')
    await page.locator(`[data-test=question-stem-${q.id}]`).waitFor(WAIT)

    // the key changes: version 2
    await page.click(`[data-test=question-edit-${q.id}]`)
    await dialog.waitFor(WAIT)
    await page.click('[data-test=qf-correct-C]')
    await page.click('[data-test=qf-save]')
    await page.locator(`[data-test=question-version-${q.id}]`, { hasText: 'v2' }).waitFor(WAIT)

    // approved by the district's administrator
    await page.click(`[data-test=question-review-${q.id}]`)
    await page.click('.el-message-box__btns .el-button--primary')
    await page.locator(`[data-test=question-status-${q.id}]`, { hasText: '已审核' }).waitFor(WAIT)

    // both versions, the first still answering B
    await page.click(`[data-test=question-versions-${q.id}]`)
    const drawer = page.locator('[data-test=question-versions]')
    await drawer.locator('[data-test=question-version-1]').waitFor(WAIT)
    assert.match(await drawer.locator('[data-test=question-version-1] [data-test=question-version-answer]').innerText(), /B$/)
    assert.match(await drawer.locator('[data-test=question-version-2] [data-test=question-version-answer]').innerText(), /C$/)
    await page.screenshot({ path: `${OUT}/questions-versions.png` })
    await page.keyboard.press('Escape')

    // the import's dry run: one good row, one with three problems
    const file = `${OUT}/questions-import.xlsx`
    writeFileSync(file, workbook([
      ['题型', '分类', '难度', '题干', '选项A', '选项B', '选项C', '答案', '解析'],
      ['判断', '科学方法', '2', `导入的判断题${stamp}`, '', '', '', '对', ''],
      ['单选', '占星', '9', `导入的坏题${stamp}`, '甲', '乙', '丙', 'E', ''],
    ], '题库'))
    const before = (await api(page, 'GET', '/questions?page_size=1')).json.total
    await page.click('[data-test=question-import]')
    const im = page.locator('[data-test=question-import-dialog]')
    await im.waitFor(WAIT)
    await page.setInputFiles('[data-test=question-import-file]', file)
    await page.click('[data-test=question-import-check]')
    const summary = page.locator('[data-test=question-import-summary]')
    await summary.waitFor(WAIT)
    assert.match(await summary.innerText(), /共 2 行：1 行有效，1 行有问题/)
    const errors = await page.locator('[data-test=question-import-errors] .el-table__body tr').allInnerTexts()
    assert.equal(errors.length, 3)
    assert.match(errors[0], /3\s+分类/)
    assert.match(errors[1], /3\s+难度/)
    assert.match(errors[2], /3\s+答案/)
    await page.screenshot({ path: `${OUT}/questions-import-check.png` })
    assert.equal((await api(page, 'GET', '/questions?page_size=1')).json.total, before, 'the dry run wrote nothing')
  })

  await withPage('questions-phone', { width: 390, height: 844 }, async (page) => {
    await login(page, 'd500103_admin', PASSWORD)
    await page.goto(`${URL_BASE}/questions?q=${encodeURIComponent(stamp)}`)
    await page.locator('[data-test=question-table] .el-table__body-wrapper tr', { hasText: stem }).first().waitFor(WAIT)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 1, `the page fits 390 px (overflow ${overflow})`)
    await page.screenshot({ path: `${OUT}/questions-phone.png`, fullPage: true })
  })
})
