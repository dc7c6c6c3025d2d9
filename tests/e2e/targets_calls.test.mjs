// A target on a calls metric (issue 15 item 7: "10 new bases a year" is tracked like every other
// target): the city admin picks 新命名：科普教育基地 in the target dialog's 征集与命名 group, the
// table names the metric (never the code titles.base), and a base named by hand moves the target's
// progress after a reload.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { URL_BASE, WAIT, TEST, useBrowser, withPage, login, pageApi } from './lib.mjs'

const ADMIN_PASSWORD = process.env.KEPU_BOOTSTRAP_ADMIN_PASSWORD || 'E2E-Admin-2026'
const OFFICE = { width: 1366, height: 768 }

useBrowser()

test('a target of new 科普教育基地 titles is picked by name and follows a title granted', TEST, async () => {
  await withPage('targets-calls', OFFICE, async (page) => {
    await login(page, 'admin', ADMIN_PASSWORD)
    const title = `E2E新命名基地-${Date.now()}`
    await page.goto(`${URL_BASE}/targets`)
    await page.locator('[data-test=target-table]').waitFor(WAIT)
    await page.click('[data-test=target-add]')
    await page.locator('input[data-test=target-form-title]').fill(title)
    await page.locator('[data-test=target-form-metric]').click()
    await page.keyboard.type('科普教育基地')
    const option = page.locator('.el-select-dropdown__item:visible', { hasText: '新命名：科普教育基地' })
    await option.first().waitFor(WAIT)
    assert.ok(await page.locator('.el-select-group__title:visible', { hasText: '征集与命名' }).count() > 0,
      'the calls group is named')
    await option.first().click()
    await page.locator('[data-test=target-form-goal] input, input[data-test=target-form-goal]').first().fill('10')
    await page.click('[data-test=target-save]')
    const row = page.locator('[data-test=target-table] .el-table__row', { hasText: title })
    await row.first().waitFor(WAIT)
    const text = await row.first().innerText()
    assert.match(text, /新命名：科普教育基地/)
    assert.doesNotMatch(text, /titles\.base/)

    // the target counts titles granted this year: name a base of the demo by hand, then reload
    const list = await pageApi(page, 'GET', `/targets?page_size=100`)
    const target = list.json.items.find((t) => t.title === title)
    assert.ok(target, 'the target was saved')
    assert.equal(target.metric, 'titles.base')
    const before = (await pageApi(page, 'GET', `/targets/${target.id}/progress`)).json
    // a new base of a district (the demo's bases may all hold the title already), named by hand
    const districts = await pageApi(page, 'GET', '/orgs?type=district&page_size=1')
    const base = await pageApi(page, 'POST', '/orgs', { parent_id: districts.json.items[0].id, type: 'base',
      name: `E2E科普基地-${Date.now()}` })
    assert.equal(base.status, 201, JSON.stringify(base.json))
    const granted = await pageApi(page, 'POST', '/designations', { kind: 'base', org_id: base.json.id, level: 'B' })
    assert.equal(granted.status, 201, JSON.stringify(granted.json))
    const after = (await pageApi(page, 'GET', `/targets/${target.id}/progress`)).json
    assert.equal(after.actual, before.actual + 1, JSON.stringify(after))
    await page.reload()
    // the progress column loads after the rows: wait for its figure
    await page.locator(`[data-test=target-progress-${target.id}]`, { hasText: new RegExp(`${after.actual}\\s*/\\s*10`) })
      .first().waitFor(WAIT)
  })
})
