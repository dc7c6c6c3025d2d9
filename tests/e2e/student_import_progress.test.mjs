// Browser test: importing a large student file shows its way. A workbook of 3,000 rows (built
// by xlsx.mjs: a minimal xlsx zip with shared strings) is picked in the import dialog by the head of a
// 渝中区 teaching point; the dialog counts its rows before the upload, shows an upload bar, then
// "正在检查 3000 行…", then the dry run's answer. Upload throughput is throttled (Chromium's
// network emulation) so that the stages last long enough to be seen. Run by tests/e2e/run.sh.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { WAIT, TEST, OUT, useBrowser, withPage, login } from './lib.mjs'
import { workbook } from './xlsx.mjs'

const ROWS = 3000

useBrowser()

test('a 3,000-row student file shows its row count, the upload and the check', TEST, async () => {
  const rows = [['姓名', '手机号']]
  for (let i = 1; i <= ROWS; i++) rows.push([`导入学员${i}`, `1360${String(i).padStart(7, '0')}`])
  const file = `${OUT}/students-${ROWS}.xlsx`
  writeFileSync(file, workbook(rows, '学员'))

  await withPage('student-import', { width: 390, height: 844 }, async (page) => {
    await login(page, 'd500103_point', 'Demo@2026kepu')
    await page.goto(new URL('/students', page.url()).href)
    await page.click('[data-test=student-import]')
    const dialog = page.locator('[data-test=student-import-dialog]')
    await dialog.waitFor(WAIT)
    await dialog.locator('.el-select').first().click()
    await page.locator('.el-tree-node__content:visible', { hasText: '科普大学教学点' }).first().click()
    await page.setInputFiles('[data-test=student-import-file]', file)
    assert.equal((await page.locator('[data-test=student-import-rows]').innerText()).trim(), `共 ${ROWS} 行数据`)

    // the stages are recorded in the page as they appear, however short the server's part is
    await page.evaluate(() => {
      window.stages = []
      new MutationObserver(() => {
        const el = document.querySelector('[data-test=student-import-progress]')
        const seen = el && `${el.dataset.stage}|${el.innerText.trim()}`
        if (seen && window.stages[window.stages.length - 1] !== seen) window.stages.push(seen)
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true })
    })
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.emulateNetworkConditions',
      { offline: false, latency: 20, downloadThroughput: 1e6, uploadThroughput: 40000 })
    await page.click('[data-test=student-import-check]')
    await page.locator('[data-test=student-import-summary]').waitFor(WAIT)
    const stages = await page.evaluate(() => window.stages)
    const uploads = stages.filter((s) => s.startsWith('upload|'))
    assert.ok(uploads.length >= 2, `the upload bar moved: ${JSON.stringify(stages)}`)
    assert.ok(stages.includes(`server|正在检查 ${ROWS} 行…`), `the check was announced: ${JSON.stringify(stages)}`)
    assert.match(await page.locator('[data-test=student-import-summary]').innerText(), new RegExp(`共 ${ROWS} 行`))
    await page.screenshot({ path: `${OUT}/student-import.png` })
  })
})
