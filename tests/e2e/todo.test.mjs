// Browser test: the to-do home (待办, issue 16 D). The 渝中区 district admin (d500103_admin) finds
// on its home a plan one of its points just submitted, under 待审核的教学计划, with the count on
// the 教学计划 menu entry; one click opens the plan; after approving it the home no longer lists it
// and the badge drops. The city opens a call for districts due tomorrow: the reminder worker (a tick
// of 5 s in run.sh) puts a reminder in the district admin's bell, which opens the call and is then
// read. Run by tests/e2e/run.sh on the demo.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WAIT, TEST, OUT, useBrowser, withPage, login, pageApi as api } from './lib.mjs'

const PASSWORD = 'Demo@2026kepu'
const ADMIN_PASSWORD = process.env.KEPU_BOOTSTRAP_ADMIN_PASSWORD || 'E2E-Admin-2026'

useBrowser()

const badge = (page) => page.locator('[data-test=menu-badge-plans]')

async function badgeCount(page) {
  return (await badge(page).count()) ? Number((await badge(page).innerText()).trim()) : 0
}

test('a district admin reviews a plan from the to-do home and the badge drops', TEST, async () => {
  await withPage('todo-plan', { width: 1280, height: 900 }, async (page) => {
    await login(page, 'd500103_admin', PASSWORD)
    const points = (await api(page, 'GET', '/orgs?type=point&page_size=5')).json
    const year = new Date().getFullYear() + 2
    const created = await api(page, 'POST', '/plans', {
      org_id: points.items[0].id, year, term: 'autumn', title: `${year}年秋季教学计划（待办）`,
      items: [{ topic: '识别电信诈骗', category: 'anti_fraud', planned_date: `${year}-09-18` }],
    })
    assert.equal(created.status, 201)
    assert.equal((await api(page, 'POST', `/plans/${created.json.id}/submit`)).status, 200)
    const counts = (await api(page, 'GET', '/todo/counts')).json
    assert.ok(counts.counts['/plans'] >= 1)

    await page.goto(new URL('/', page.url()).href)
    await page.locator('[data-test=todo-card]').waitFor(WAIT)
    const item = page.locator(`[data-test=todo-item][data-kind=plan_review][data-id="${created.json.id}"]`)
    // the card lists the first five, oldest submitted first: the new plan is there when at most
    // five wait, else behind 查看全部
    const group = page.locator('[data-test=todo-group][data-kind=plan_review]')
    await group.waitFor(WAIT)
    assert.match(await group.innerText(), /待审核的教学计划/)
    await page.waitForFunction((n) => document.querySelector('[data-test=menu-badge-plans]')?.textContent.trim() === String(n),
      counts.counts['/plans'], WAIT)
    const before = await badgeCount(page)
    await page.screenshot({ path: `${OUT}/todo-home.png`, fullPage: true })
    if (counts.counts['/plans'] <= 5) {
      await item.click()
    } else {
      await page.goto(new URL(`/plans/${created.json.id}`, page.url()).href)
    }
    await page.waitForURL(new RegExp(`/plans/${created.json.id}$`), WAIT)
    await page.locator('[data-test=plan-approve]').click()
    await page.locator('.kepu-confirm .el-button--primary').click()
    await page.locator('[data-test=plan-status]', { hasText: '已通过' }).waitFor(WAIT)

    await page.goto(new URL('/', page.url()).href)
    await page.locator('[data-test=todo-card]').waitFor(WAIT)
    await page.waitForFunction((n) => {
      const b = document.querySelector('[data-test=menu-badge-plans]')
      return (b ? Number(b.textContent.trim()) : 0) === n
    }, before - 1, WAIT)
    assert.equal(await item.count(), 0)
    const after = (await api(page, 'GET', '/todo')).json
    const g = after.groups.find((x) => x.kind === 'plan_review')
    assert.ok(!g || !g.items.some((i) => i.id === created.json.id))
  })
})

test('the worker reminds a district of a call due tomorrow in its bell', TEST, async () => {
  const tomorrow = new Date(Date.now() + 8 * 3600e3 + 86400e3).toISOString().slice(0, 10)
  const title = `区级科普案例征集（提醒）${Date.now() % 100000}`
  let callId
  await withPage('todo-city', { width: 1280, height: 900 }, async (page) => {
    await login(page, 'admin', ADMIN_PASSWORD)
    const root = (await api(page, 'GET', '/me')).json
    const tpl = await api(page, 'POST', '/call-templates', {
      code: `t_todo_${Date.now() % 100000}`, name: '待办提醒测试', kind: 'collection',
      config: { form: [{ key: 'topic', label: '题目', type: 'text' }], stages: [], eligible: 'types',
        eligible_types: ['district'], min_per_unit: 1, late_policy: 'flag' },
    })
    assert.equal(tpl.status, 201)
    const call = await api(page, 'POST', '/calls', {
      template_id: tpl.json.id, org_id: root.org_id ?? root.user?.org_id, year: new Date().getFullYear(), title, deadline: tomorrow,
    })
    assert.equal(call.status, 201)
    callId = call.json.id
    assert.equal((await api(page, 'POST', `/calls/${callId}/open`)).status, 200)
  })
  await withPage('todo-bell', { width: 1280, height: 900 }, async (page) => {
    await login(page, 'd500103_admin', PASSWORD)
    // on the to-do at once
    const todo = (await api(page, 'GET', '/todo?limit=20')).json
    const g = todo.groups.find((x) => x.kind === 'call_entry_due')
    assert.ok(g && g.items.some((i) => i.id === callId), 'the call is on the district\'s to-do')
    // the worker's reminder within a few ticks
    let note
    for (let i = 0; i < 60 && !note; i++) {
      const list = (await api(page, 'GET', '/notifications?unread=1&page_size=100')).json
      note = list.items.find((n) => n.kind === 'call_entry_due' && n.ref_id === callId)
      if (!note) await page.waitForTimeout(1000)
    }
    assert.ok(note, 'the worker wrote a reminder')
    assert.match(note.title, /待办提醒/)
    await page.goto(new URL('/', page.url()).href)
    await page.locator('[data-test=todo-bell-count] sup').waitFor(WAIT)
    await page.locator('[data-test=todo-bell]').click()
    const entry = page.locator('[data-test=todo-notification][data-kind=call_entry_due]', { hasText: title })
    await entry.first().waitFor(WAIT)
    await page.screenshot({ path: `${OUT}/todo-bell.png` })
    await entry.first().click()
    await page.waitForURL(new RegExp(`/calls/${callId}$`), WAIT)
    const read = (await api(page, 'GET', '/notifications?page_size=100')).json
    assert.ok(read.items.find((n) => n.id === note.id).read_at, 'opened: read')
  })
})
