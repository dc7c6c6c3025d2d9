// Browser test of the resource library's UI (资源库, issue 18 U), on the demo city: the head of a
// 渝中区 teaching point (d500103_point) adds a resource in the dialog, uploads its file in the
// drawer and submits it; a teacher at another 渝中区 point (d500103_teacher) does not see it
// yet; the 渝中区 district admin finds it by the search box and approves it from the drawer; the
// teacher then finds it in the list, marked as shared (read only: no edit or submit button), and
// rates it; a point of another district (d500101_point) still does not see it. The inline
// player's src is the current version's address, and that address answers a Range request with
// 206 and the asked bytes (the player seeks without loading the whole file): the file is a WAV made
// here, which the server's media probe reads as audio, in a resource of kind audio. The district's
// export of the searched list holds that one resource. Then a rejection with comments (opened by
// the page's ?open= link), read by the uploader, who submits again; and the activity dialog's
// portal fields (在门户公开, 直播链接, 回放链接).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { WAIT, TEST, OUT, useBrowser, withPage, login, pageApi } from './lib.mjs'
import { readWorkbook } from './xlsx.mjs'

const PASSWORD = 'Demo@2026kepu'
const DESKTOP = { width: 1366, height: 900 }
// 0.03475 s of 8 kHz mono 16-bit PCM as a 600-byte WAV: every sample 0x0707, so each byte of the
// data is 7 and a range in the middle is told from the header
function wav() {
  const samples = 278
  const b = Buffer.alloc(44 + 2 * samples, 7)
  b.write('RIFF', 0, 'ascii'), b.writeUInt32LE(36 + 2 * samples, 4), b.write('WAVEfmt ', 8, 'ascii')
  b.writeUInt32LE(16, 16), b.writeUInt16LE(1, 20), b.writeUInt16LE(1, 22), b.writeUInt32LE(8000, 24)
  b.writeUInt32LE(16000, 28), b.writeUInt16LE(2, 32), b.writeUInt16LE(16, 34)
  b.write('data', 36, 'ascii'), b.writeUInt32LE(2 * samples, 40)
  return b
}
const WAV = wav()
// a 1x1 PNG, padded after its IEND chunk to 600 bytes (the rejected slides' file)
const PNG = Buffer.concat([
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
  Buffer.alloc(600 - 70, 7),
]).subarray(0, 600)

useBrowser()

async function asUser(name, username, body) {
  await withPage(name, DESKTOP, async (page) => {
    await login(page, username, PASSWORD)
    await body(page)
  })
}

async function confirm(page) {
  await page.locator('.kepu-confirm .el-button--primary').click()
}

// The resources page, filtered by the search box (the server's ?q=).
async function searchFor(page, title) {
  await page.click('[data-test=menu-resources]')
  await page.locator('[data-test=resource-table]').waitFor(WAIT)
  await page.fill('input[data-test=resource-search]', title)
  await page.press('input[data-test=resource-search]', 'Enter')
  await page.waitForURL(/q=/, WAIT)
}

// Whether `title` is among the resources the page's user reads (the API the list uses).
async function listed(page, title) {
  const r = await pageApi(page, 'GET', `/resources?q=${encodeURIComponent(title)}`)
  assert.equal(r.status, 200)
  return r.json.items.some((x) => x.title === title)
}

// The drawer's player: its src is the current version's address, which answers a range.
async function checkPlayerRange(page, id) {
  const player = page.locator('[data-test=resource-drawer] audio[data-test=resource-player]')
  await player.waitFor({ state: 'attached', ...WAIT })
  const src = await player.getAttribute('src')
  assert.match(src, new RegExp(`^/api/v1/resources/${id}/versions/\\d+/file$`), `the player plays the version's file: ${src}`)
  const res = await page.evaluate(async (url) => {
    const r = await fetch(url, { headers: { Range: 'bytes=100-149' } })
    const bytes = new Uint8Array(await r.arrayBuffer())
    return { status: r.status, range: r.headers.get('Content-Range'), length: bytes.length, first: bytes[0] }
  }, src)
  assert.equal(res.status, 206, 'a range of the file is answered with 206')
  assert.equal(res.range, 'bytes 100-149/600')
  assert.equal(res.length, 50)
  assert.equal(res.first, 7, 'the bytes of the range, not the start of the file')
}

test('a point uploads a resource, its district approves it, a sibling point reads it and its player seeks', TEST, async () => {
  const title = `安全用电微课${Date.now() % 1000000}`
  let id

  // 1. the point's head adds the resource, uploads its file in the drawer and submits it
  await asUser('resources-point', 'd500103_point', async (page) => {
    await page.click('[data-test=menu-resources]')
    await page.click('[data-test=resource-add]')
    const dialog = page.locator('[data-test=resource-dialog]')
    await dialog.waitFor(WAIT)
    await page.fill('input[data-test=resource-title]', title)
    await page.fill('textarea[data-test=resource-summary]', '家庭安全用电的五分钟微课')
    await page.click('[data-test=resource-kind]')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '音频' }).click()
    await page.click('[data-test=resource-save]')
    const drawer = page.locator('[data-test=resource-drawer]')
    await drawer.locator('[data-test=resource-drawer-title]', { hasText: title }).waitFor(WAIT)
    // nothing to submit before a file: the upload is the next step
    await drawer.locator('[data-test=resource-upload] input[type=file]').setInputFiles(
      { name: '安全用电.wav', mimeType: 'audio/wav', buffer: WAV })
    await drawer.locator('[data-test=resource-version-table] .el-table__row', { hasText: '安全用电.wav' }).waitFor(WAIT)
    id = (await pageApi(page, 'GET', `/resources?q=${encodeURIComponent(title)}`)).json.items[0].id
    assert.ok(id > 0)
    await checkPlayerRange(page, id)
    await drawer.locator('[data-test=resource-submit]').click()
    await confirm(page)
    await drawer.locator('[data-test=resource-drawer-status]', { hasText: '待审核' }).waitFor(WAIT)
    assert.equal(await drawer.locator('[data-test=resource-upload]').count(), 0, 'no upload while pending')
    assert.equal(await drawer.locator('[data-test=resource-review]').count(), 0, 'the uploader does not review its own')
  })

  // 2. before the review, a teacher at another point of the district does not read it
  await asUser('resources-sibling-before', 'd500103_teacher', async (page) => {
    assert.equal(await listed(page, title), false, 'not shared before approval')
  })

  // 3. the district admin finds it by the search box and approves it
  await asUser('resources-district', 'd500103_admin', async (page) => {
    await searchFor(page, title)
    const row = page.locator('[data-test=resource-table] .el-table__row', { hasText: title })
    await row.waitFor(WAIT)
    assert.equal(await row.locator(`[data-test=resource-status-${id}]`).innerText(), '待审核')
    await page.click(`[data-test=resource-open-${id}]`)
    const drawer = page.locator('[data-test=resource-drawer]')
    await drawer.locator('[data-test=resource-review]').waitFor(WAIT)
    await drawer.locator('textarea[data-test=resource-review-comments]').fill('内容准确，同意共享')
    await drawer.locator('[data-test=resource-approve]').click()
    await drawer.locator('[data-test=resource-drawer-status]', { hasText: '已通过' }).waitFor(WAIT)
    assert.equal(await drawer.locator('[data-test=resource-review-text]').innerText(), '内容准确，同意共享')
    await row.locator(`[data-test=resource-status-${id}]`, { hasText: '已通过' }).waitFor(WAIT)
    await page.keyboard.press('Escape')

    // the list's export: the searched list as a workbook, the resource's row named in Chinese
    const [file] = await Promise.all([page.waitForEvent('download', WAIT), page.click('[data-test=resource-export]')])
    assert.equal(file.suggestedFilename(), '资源库.xlsx')
    const path = `${OUT}/resources-export.xlsx`
    await file.saveAs(path)
    const rows = readWorkbook(readFileSync(path)).sheets[0].rows.map((r) => r.map((c) => (c?.value == null ? '' : String(c.value))))
    const header = rows.findIndex((r) => r[0] === '标题')
    assert.ok(header >= 0, 'the header row')
    assert.deepEqual(rows[header].slice(0, 5), ['标题', '类型', '上传单位', '作者', '状态'])
    const data = rows.slice(header + 1).filter((r) => r[0])
    assert.equal(data.length, 1, 'only the searched resource')
    assert.deepEqual([data[0][0], data[0][1], data[0][4]], [title, '音频', '已通过'])
  })

  // 4. the teacher now reads it, shared and read only, plays it and rates it
  await asUser('resources-sibling-after', 'd500103_teacher', async (page) => {
    await searchFor(page, title)
    const row = page.locator('[data-test=resource-table] .el-table__row', { hasText: title })
    await row.waitFor(WAIT)
    await row.locator(`[data-test=resource-shared-${id}]`).waitFor(WAIT)
    await page.click(`[data-test=resource-open-${id}]`)
    const drawer = page.locator('[data-test=resource-drawer]')
    await drawer.locator('[data-test=resource-drawer-status]', { hasText: '已通过' }).waitFor(WAIT)
    await checkPlayerRange(page, id)
    for (const b of ['edit', 'submit', 'withdraw', 'delete', 'upload', 'review']) {
      assert.equal(await drawer.locator(`[data-test=resource-${b}]`).count(), 0, `no ${b} for a shared resource`)
    }
    await drawer.locator('[data-test=resource-my-rating] .el-rate__item').nth(3).click()
    await page.locator('.el-message--success', { hasText: '已评分 4 星' }).waitFor(WAIT)
    const after = await pageApi(page, 'GET', `/resources/${id}`)
    assert.equal(after.json.rating_count, 1)
    assert.equal(after.json.rating, 4)
    // opened again, the drawer shows the stars given
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden', ...WAIT })
    await page.click(`[data-test=resource-open-${id}]`)
    await page.mouse.move(1, 1)   // a star under the pointer would show its hover, not the value
    const lit = drawer.locator('[data-test=resource-my-rating] .el-rate__icon.is-active')
    await lit.nth(3).waitFor(WAIT)
    assert.equal(await lit.count(), 4)
  })

  // 5. another district's point does not read it: shared down from 渝中区 only
  await asUser('resources-other-district', 'd500101_point', async (page) => {
    assert.equal(await listed(page, title), false, 'not shared outside the approving district')
  })
})

// The activity dialog's portal fields (issue 18 U): 在门户公开, the live stream's and the replay's
// links (a link that is not http(s) is refused in the form, nothing sent), shown in the drawer;
// a cleared link is stored as none.
test('an activity is made public with its live stream and replay links, shown in its drawer', TEST, async () => {
  await asUser('resources-activity', 'd500103_point', async (page) => {
    await page.click('[data-test=menu-activities]')
    const open = page.locator('[data-test^=activity-open-]').first()
    await open.waitFor(WAIT)
    const id = Number((await open.getAttribute('data-test')).replace('activity-open-', ''))
    await open.click()
    const drawer = page.locator('[data-test=activity-drawer]')
    await drawer.locator('[data-test=activity-portal]').waitFor(WAIT)
    await drawer.locator('[data-test=activity-drawer-edit]').click()
    const dialog = page.locator('[data-test=activity-dialog]')
    await dialog.waitFor(WAIT)
    const before = (await pageApi(page, 'GET', `/activities/${id}`)).json

    // a javascript: link stops at the form
    await page.fill('input[data-test=activity-stream-url]', 'javascript:alert(1)')
    await page.click('[data-test=activity-save]')
    await dialog.locator('.el-form-item__error', { hasText: 'http://' }).waitFor(WAIT)
    assert.equal((await pageApi(page, 'GET', `/activities/${id}`)).json.updated_at, before.updated_at, 'nothing sent')

    await page.fill('input[data-test=activity-stream-url]', 'https://live.example.cn/room/42')
    await page.fill('input[data-test=activity-replay-url]', 'https://live.example.cn/replay/42')
    if (!before.is_public) await dialog.locator('[data-test=activity-public]').click()
    await page.click('[data-test=activity-save]')
    await dialog.waitFor({ state: 'hidden', ...WAIT })
    await drawer.locator('[data-test=activity-drawer-stream]', { hasText: 'https://live.example.cn/room/42' }).waitFor(WAIT)
    assert.equal(await drawer.locator('[data-test=activity-drawer-public]').innerText(), '是')
    assert.equal(await drawer.locator('[data-test=activity-drawer-replay]').getAttribute('href'), 'https://live.example.cn/replay/42')
    let stored = (await pageApi(page, 'GET', `/activities/${id}`)).json
    assert.equal(stored.is_public, true)
    assert.equal(stored.stream_url, 'https://live.example.cn/room/42')

    // the replay link cleared: stored as none, the drawer says so
    await drawer.locator('[data-test=activity-drawer-edit]').click()
    await dialog.waitFor(WAIT)
    await page.fill('input[data-test=activity-replay-url]', '')
    await page.click('[data-test=activity-save]')
    await dialog.waitFor({ state: 'hidden', ...WAIT })
    await drawer.locator('[data-test=activity-drawer-replay]').waitFor({ state: 'detached', ...WAIT })
    stored = (await pageApi(page, 'GET', `/activities/${id}`)).json
    assert.equal(stored.replay_url ?? null, null)
    assert.equal(stored.stream_url, 'https://live.example.cn/room/42')
  })
})

// A rejection: 退回 needs comments (without them nothing is sent); the uploader then reads the
// comments in its drawer and may change and submit the resource again.
test('the district rejects a resource with comments; the point reads them and may submit again', TEST, async () => {
  const title = `燃气安全课件${Date.now() % 1000000}`
  let id
  await asUser('resources-reject-point', 'd500103_point', async (page) => {
    const made = await pageApi(page, 'POST', '/resources', { title, kind: 'slides' })
    assert.equal(made.status, 201)
    id = made.json.id
    const up = await page.evaluate(async ([rid, bytes]) => {
      const csrf = (await (await fetch('/api/v1/auth/csrf')).json()).csrf_token
      const r = await fetch(`/api/v1/resources/${rid}/versions`, { method: 'POST', body: new Uint8Array(bytes),
        headers: { 'X-CSRF-Token': csrf, 'X-File-Name': encodeURIComponent('燃气.png'), 'Content-Type': 'image/png' } })
      return r.status
    }, [id, [...PNG]])
    assert.equal(up, 201)
    assert.equal((await pageApi(page, 'POST', `/resources/${id}/submit`)).status, 200)
  })
  await asUser('resources-reject-district', 'd500103_admin', async (page) => {
    await page.goto(new URL(`/resources?open=${id}`, page.url()).href)
    const drawer = page.locator('[data-test=resource-drawer]')
    await drawer.locator('[data-test=resource-review]').waitFor(WAIT)
    await drawer.locator('[data-test=resource-reject]').click()
    await page.locator('.el-message--warning', { hasText: '退回时请填写意见' }).waitFor(WAIT)
    assert.equal((await pageApi(page, 'GET', `/resources/${id}`)).json.status, 'pending', 'nothing sent without comments')
    await drawer.locator('textarea[data-test=resource-review-comments]').fill('请补充燃气报警器的使用说明')
    await drawer.locator('[data-test=resource-reject]').click()
    await drawer.locator('[data-test=resource-drawer-status]', { hasText: '已退回' }).waitFor(WAIT)
  })
  await asUser('resources-reject-back', 'd500103_point', async (page) => {
    await page.goto(new URL(`/resources?open=${id}`, page.url()).href)
    const drawer = page.locator('[data-test=resource-drawer]')
    await drawer.locator('[data-test=resource-drawer-status]', { hasText: '已退回' }).waitFor(WAIT)
    assert.equal(await drawer.locator('[data-test=resource-review-text]').innerText(), '请补充燃气报警器的使用说明')
    await drawer.locator('[data-test=resource-submit]').click()
    await confirm(page)
    await drawer.locator('[data-test=resource-drawer-status]', { hasText: '待审核' }).waitFor(WAIT)
  })
})
