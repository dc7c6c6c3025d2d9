// Browser test: importing a large student file shows its way. A workbook of 3,000 rows (built
// here: a minimal xlsx zip with shared strings) is picked in the import dialog by the head of a
// 渝中区 teaching point; the dialog counts its rows before the upload, shows an upload bar, then
// "正在检查 3000 行…", then the dry run's answer. Upload throughput is throttled (Chromium's
// network emulation) so that the stages last long enough to be seen. Run by tests/e2e/run.sh.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import zlib from 'node:zlib'
import { writeFileSync } from 'node:fs'
import { WAIT, TEST, OUT, useBrowser, withPage, login } from './lib.mjs'

const ROWS = 3000

useBrowser()

// A zip of deflated entries (no zip64, no data descriptors).
function zip(files) {
  const locals = []
  const centrals = []
  let offset = 0
  for (const [name, text] of Object.entries(files)) {
    const raw = Buffer.from(text)
    const data = zlib.deflateRawSync(raw)
    const n = Buffer.from(name)
    const head = Buffer.alloc(30)
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(8, 8)
    head.writeUInt32LE(zlib.crc32(raw), 14); head.writeUInt32LE(data.length, 18); head.writeUInt32LE(raw.length, 22)
    head.writeUInt16LE(n.length, 26)
    const cen = Buffer.alloc(46)
    cen.writeUInt32LE(0x02014b50, 0); cen.writeUInt16LE(20, 4); cen.writeUInt16LE(20, 6); cen.writeUInt16LE(8, 10)
    cen.writeUInt32LE(zlib.crc32(raw), 16); cen.writeUInt32LE(data.length, 20); cen.writeUInt32LE(raw.length, 24)
    cen.writeUInt16LE(n.length, 28); cen.writeUInt32LE(offset, 42)
    locals.push(head, n, data)
    centrals.push(cen, n)
    offset += 30 + n.length + data.length
  }
  const dir = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10)
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, dir, end])
}

function workbook(rows) {
  const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
  const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
  const strings = []
  const cell = (ref, s) => `<c r="${ref}" t="s"><v>${strings.push(s) - 1}</v></c>`
  const sheet = rows.map((r, i) => `<row r="${i + 1}">${cell(`A${i + 1}`, r[0])}${cell(`B${i + 1}`, r[1])}</row>`).join('')
  return zip({
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      + '<Default Extension="xml" ContentType="application/xml"/></Types>',
    'xl/workbook.xml': `<?xml version="1.0"?><workbook xmlns="${NS}" xmlns:r="${R}"><sheets><sheet name="学员" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + `<Relationship Id="rId1" Type="${R}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData>${sheet}</sheetData></worksheet>`,
    'xl/sharedStrings.xml': `<?xml version="1.0"?><sst xmlns="${NS}">${strings.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`,
  })
}

test('a 3,000-row student file shows its row count, the upload and the check', TEST, async () => {
  const rows = [['姓名', '手机号']]
  for (let i = 1; i <= ROWS; i++) rows.push([`导入学员${i}`, `1360${String(i).padStart(7, '0')}`])
  const file = `${OUT}/students-${ROWS}.xlsx`
  writeFileSync(file, workbook(rows))

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
