// Browser test of notices (issue 16 A): the city composes a notice needing a reply with names to
// all districts and publishes it; one district's admin finds it unread in the inbox, opens it
// (read) and replies with two names; the city's receipt board shows that district read and
// replied and the others unread / not replied (the counts), chases them (the answer says how many
// units), and the replies Excel downloads with the two names. The district admin's to-do home
// lists the reply owed (one click opens the notice) and no longer lists it once replied.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { URL_BASE, OUT, WAIT, TEST, useBrowser, withPage, login, pageApi } from './lib.mjs'
import { readWorkbook } from './xlsx.mjs'

useBrowser()

const ADMIN_PW = process.env.KEPU_BOOTSTRAP_ADMIN_PASSWORD || 'E2E-Admin-2026'
const D_USER = 'e2e_notice_district'
const D_PW = 'Notice-E2E-2026x'
const TITLE = `关于报送科普日联络员的通知 ${Date.now() % 100000}`
const DESKTOP = { width: 1366, height: 900 }

// An Element Plus input by its data-test (the attribute lands on the <input> or <textarea> itself).
const fillIn = (page, name, value) =>
  page.locator(`input[data-test=${name}], textarea[data-test=${name}], [data-test=${name}] input, [data-test=${name}] textarea`).first().fill(value)

test('a notice with a reply of names: sent, read, replied, the board, the chase, the Excel', TEST, async () => {
  let noticeId, district, total
  await withPage('notices-compose', DESKTOP, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    const orgs = await pageApi(page, 'GET', '/orgs?type=district&page_size=100')
    assert.equal(orgs.status, 200)
    total = orgs.json.total
    assert.ok(total >= 2, 'the demo city has districts')
    district = orgs.json.items[0]
    const u = await pageApi(page, 'POST', '/users', { username: D_USER, name: '区通知管理员', org_id: district.id, role: 'org_admin',
      data_scope: 'subtree', password: D_PW })
    assert.equal(u.status, 201, JSON.stringify(u.json))

    await page.goto(`${URL_BASE}/notices/new`)
    await fillIn(page, 'compose-title', TITLE)
    await fillIn(page, 'compose-docno', '科协发〔2026〕16号')
    await page.locator('[data-test=rich-text-area]').fill('请各区于截止日期前报送两名联络员。')
    await fillIn(page, 'compose-contact', '王老师')
    await fillIn(page, 'compose-contact-phone', '023-63001234')
    await page.click('[data-test=compose-type-district]')
    await page.click('[data-test=compose-reply]')
    const deadline = page.getByPlaceholder('回执截止')
    await deadline.fill('2099-12-31')
    await deadline.press('Enter')
    await page.click('[data-test=compose-names]')
    await page.click('[data-test=compose-publish]')
    await page.waitForURL(/\/notices\/\d+$/)
    noticeId = Number(page.url().split('/').pop())
    await page.locator('[data-test=notice-board]').waitFor(WAIT)
    const n = await pageApi(page, 'GET', `/notices/${noticeId}`)
    assert.equal(n.json.state, 'published')
    assert.equal(n.json.recipients_total, total, 'every district')
    assert.equal(n.json.reply_names, true)
  })

  await withPage('notices-district', DESKTOP, async (page) => {
    await login(page, D_USER, D_PW)
    // the to-do home lists the reply owed; one click opens the notice
    await page.goto(`${URL_BASE}/`)
    const owed = page.locator(`[data-test=todo-item][data-kind=notice_reply][data-id="${noticeId}"]`)
    await owed.waitFor(WAIT)
    await page.goto(`${URL_BASE}/notices/inbox`)
    const row = page.locator('[data-test=inbox-table] tr', { hasText: TITLE })
    await row.waitFor(WAIT)
    assert.equal(await row.locator('[data-test=inbox-unread-dot]').count(), 1, 'unread in the inbox')
    await page.goto(`${URL_BASE}/`)
    await owed.click()
    await page.waitForURL(`**/notices/${noticeId}`, WAIT)
    await page.locator('[data-test=notice-title]', { hasText: TITLE }).waitFor(WAIT)
    assert.match(await page.locator('[data-test=notice-body]').innerText(), /两名联络员/)
    await fillIn(page, 'reply-text', '本区报送两人')
    await fillIn(page, 'reply-name-0', '张三')
    await fillIn(page, 'reply-unit-0', '区科协 科员')
    await fillIn(page, 'reply-phone-0', '138 0013 8000')
    await page.click('[data-test=reply-add-name]')
    await fillIn(page, 'reply-name-1', '李四')
    await fillIn(page, 'reply-unit-1', '区科协 副主任')
    await fillIn(page, 'reply-phone-1', '139-0013-9000')
    await page.click('[data-test=reply-submit]')
    await page.locator('[data-test=reply-done]').waitFor(WAIT)
    // the reply owed is gone: the inbox row shows 已回执, and nothing of it is unread
    await page.goto(`${URL_BASE}/notices/inbox`)
    const done = page.locator('[data-test=inbox-table] tr', { hasText: TITLE })
    await done.locator('.el-tag', { hasText: '已回执' }).waitFor(WAIT)
    const unread = await pageApi(page, 'GET', '/notices?box=inbox&unread=1&page_size=100')
    assert.ok(!unread.json.items.some((i) => i.id === noticeId), 'read')
    // the phones come back masked
    const mine = await pageApi(page, 'GET', `/notices/${noticeId}`)
    assert.equal(mine.json.my_receipt.names.length, 2)
    assert.ok(!JSON.stringify(mine.json).includes('13800138000'))
    // ... and the to-do home no longer lists it
    await page.goto(`${URL_BASE}/`)
    await page.locator('[data-test=todo-group], [data-test=todo-empty]').first().waitFor(WAIT)
    assert.equal(await page.locator(`[data-test=todo-item][data-kind=notice_reply][data-id="${noticeId}"]`).count(), 0,
      'the reply owed is gone from the to-do home')
    const todo = await pageApi(page, 'GET', '/todo?limit=20')
    assert.ok(!todo.json.groups.some((g) => g.kind === 'notice_reply' && g.items.some((i) => i.id === noticeId)))
  })

  await withPage('notices-board', DESKTOP, async (page) => {
    await login(page, 'admin', ADMIN_PW)
    await page.goto(`${URL_BASE}/notices/${noticeId}/board`)
    const count = async (k) => Number((await page.locator(`[data-test=board-count-${k}] .n`).innerText()).trim())
    await page.locator('[data-test=board-count-replied] .n', { hasText: '1' }).waitFor(WAIT)
    assert.equal(await count('total'), total)
    assert.equal(await count('read'), 1)
    assert.equal(await count('unread'), total - 1)
    assert.equal(await count('replied'), 1)
    // 未读 (the default tab) lists the others, not the district that replied
    await page.locator('[data-test=receipts-table] tbody tr').first().waitFor(WAIT)
    assert.equal(await page.locator('[data-test=receipts-table] tbody tr', { hasText: district.name }).count(), 0)
    await page.click('.el-tabs__item:has-text("已回执")')
    await page.locator('[data-test=receipts-table] tbody tr', { hasText: district.name }).waitFor(WAIT)
    await page.click('.el-tabs__item:has-text("未回执")')
    await page.locator('[data-test=receipts-table] tbody tr', { hasNotText: district.name }).first().waitFor(WAIT)
    // chase the rest
    await page.click('[data-test=board-chase]')
    await page.click('.el-message-box__btns .el-button--primary')
    const chased = page.locator('[data-test=board-chased]')
    await chased.waitFor(WAIT)
    assert.match(await chased.innerText(), new RegExp(`已催办 ${total - 1} 个单位`))
    // the replies as one Excel: one row per name
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=board-export]')])
    const file = `${OUT}/notice-replies.xlsx`
    await download.saveAs(file)
    const sheet = readWorkbook(readFileSync(file)).sheets[0]
    const text = sheet.rows.map((r) => r.map((c) => c?.value ?? '').join('|'))
    assert.ok(text.some((x) => x.includes('张三') && x.includes(district.name)), 'first name')
    assert.ok(text.some((x) => x.includes('李四')), 'second name')
    assert.ok(!text.some((x) => x.includes('13800138000')), 'phones masked')
    await page.screenshot({ path: `${OUT}/notices-board.png`, fullPage: true })
  })

  await withPage('notices-public', { width: 390, height: 844 }, async (page) => {
    await page.goto(`${URL_BASE}/public/notices`)
    await page.locator('[data-test=public-notices]').waitFor(WAIT)
    // the notice is not public: the public list does not carry it
    assert.equal(await page.locator('[data-test=public-notice-item]', { hasText: TITLE }).count(), 0)
  })
})
