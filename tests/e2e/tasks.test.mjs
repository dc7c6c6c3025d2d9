// Issue 16, package C: the city publishes its yearly work points with 2 tasks for all districts
// (one added in the editor, one whose deadline has passed); a district reports one task done with
// evidence and the city accepts it; the city's board shows it done for that district and the
// others open; the task whose deadline has passed shows as overdue.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { URL_BASE, WAIT, TEST, useBrowser, withPage, login, pageApi } from './lib.mjs'

const ADMIN_PASSWORD = process.env.KEPU_BOOTSTRAP_ADMIN_PASSWORD || 'E2E-Admin-2026'
const DEMO_PW = 'Demo@2026kepu'
const OFFICE = { width: 1366, height: 768 }
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

// A Shanghai calendar day n days from today.
function dayIn(n) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + n * 86400 * 1000)
  return d.toISOString().slice(0, 10)
}

useBrowser()

test('work points flow down as tasks, are reported done and counted on the board', TEST, async () => {
  const stamp = Date.now()
  const title = `E2E工作要点-${stamp}`
  let planId, doneTask, lateTask, district, others
  await withPage('tasks-city', OFFICE, async (page) => {
    await login(page, 'admin', ADMIN_PASSWORD)
    await page.goto(`${URL_BASE}/work-plans`)
    await page.locator('[data-test=plan-table]').waitFor(WAIT)
    await page.click('[data-test=plan-add]')
    await page.locator('input[data-test=plan-title], [data-test=plan-title] input').first().fill(title)
    await page.locator('input[data-test=plan-docno], [data-test=plan-docno] input').first().fill('科协发〔2026〕9号')
    await page.click('[data-test=plan-save]')
    await page.locator('[data-test=plan-heading]', { hasText: title }).waitFor(WAIT)
    planId = Number(page.url().split('/').pop())
    assert.ok(planId > 0)
    // the first task in the editor: all districts (the default type), due in a month
    await page.click('[data-test=task-add]')
    await page.locator('input[data-test=task-title], [data-test=task-title] input').first().fill('开展科技活动周')
    const deadline = page.locator('[data-test=task-deadline] input, input[data-test=task-deadline]').first()
    await deadline.fill(dayIn(30))
    await deadline.press('Enter')
    await page.locator('textarea[data-test=task-outputs], [data-test=task-outputs] textarea').first().fill('活动总结')
    await page.click('[data-test=task-save]')
    await page.locator('[data-test=plan-tasks] .el-table__row', { hasText: '开展科技活动周' }).waitFor(WAIT)
    // the second, already past its deadline (a date the picker would not offer as a plan is drafted)
    const late = await pageApi(page, 'POST', '/tasks', { plan_id: planId, title: '报送上半年总结', deadline: dayIn(-2),
      owners: { org_types: ['district'] } })
    assert.equal(late.status, 201, JSON.stringify(late.json))
    lateTask = late.json.id
    await page.reload()
    await page.locator('[data-test=plan-tasks] .el-table__row', { hasText: '报送上半年总结' }).waitFor(WAIT)
    await page.click('[data-test=plan-publish]')
    await page.click('.el-message-box__btns .el-button--primary')
    await page.locator('[data-test=plan-status]', { hasText: '已发布' }).waitFor(WAIT)
    const tasks = (await pageApi(page, 'GET', `/tasks?plan_id=${planId}&page_size=200`)).json.items
    doneTask = tasks.find((x) => x.title === '开展科技活动周').id
  })

  await withPage('tasks-district', OFFICE, async (page) => {
    await login(page, 'd500101_admin', DEMO_PW)
    district = { id: (await pageApi(page, 'GET', '/me')).json.org_id }
    await page.goto(`${URL_BASE}/tasks/mine`)
    await page.locator(`[data-test=mine-task-${doneTask}]`).waitFor(WAIT)
    // the task past its deadline is overdue, in red
    await page.locator(`[data-test=mine-status-${lateTask}-${district.id}]`, { hasText: '逾期' }).waitFor(WAIT)
    await page.click(`[data-test=mine-report-${doneTask}]`)
    await page.locator('textarea[data-test=report-text], [data-test=report-text] textarea').first().fill('活动周已办完')
    await page.setInputFiles('input[data-test=report-files]', { name: 'photo.png', mimeType: 'image/png', buffer: PNG })
    await page.locator('[data-test=report-done]').click()
    await page.click('[data-test=report-save]')
    await page.locator('.el-message--success').first().waitFor(WAIT)
    const task = (await pageApi(page, 'GET', `/tasks/${doneTask}`)).json
    assert.equal(task.reports.length, 1)
    assert.equal(task.reports[0].done, true)
    const files = (await pageApi(page, 'GET', `/task-reports/${task.reports[0].id}/files`)).json
    assert.equal((files.items || files).length, 1, 'the evidence was uploaded')
  })

  await withPage('tasks-board', OFFICE, async (page) => {
    await login(page, 'admin', ADMIN_PASSWORD)
    await page.goto(`${URL_BASE}/tasks/${doneTask}`)
    await page.locator('[data-test=task-reports] .el-table__row').first().waitFor(WAIT)
    await page.locator('[data-test^=report-accept-]').first().click()
    await page.locator('.el-message--success').first().waitFor(WAIT)
    await page.goto(`${URL_BASE}/tasks/board`)
    await page.locator('[data-test=task-board]').waitFor(WAIT)
    await page.locator(`[data-test=board-done-${district.id}]`, { hasText: /^1$/ }).waitFor(WAIT)
    assert.equal((await page.locator(`[data-test=board-open-${district.id}]`).innerText()).trim(), '1')
    const board = (await pageApi(page, 'GET', '/tasks/overview')).json.units
    others = board.filter((u) => u.org_id !== district.id).map((u) => ({ id: u.org_id }))
    assert.ok(others.length > 0, 'the demo city has more than one district')
    const other = others[0]
    assert.equal((await page.locator(`[data-test=board-done-${other.id}]`).innerText()).trim(), '0')
    assert.equal((await page.locator(`[data-test=board-open-${other.id}]`).innerText()).trim(), '2')
    assert.equal((await page.locator(`[data-test=board-overdue-${other.id}]`).innerText()).trim(), '1')
    // the year's page shows the district done on the first task
    await page.goto(`${URL_BASE}/work-plans/${planId}/page`)
    await page.locator(`[data-test=page-owner-${doneTask}-${district.id}]`, { hasText: '已完成' }).waitFor(WAIT)
  })
})
