// The district assessment (issue 16 E): the city builds a scheme for this year in the editor (a
// targets indicator on 活动场次 picked by its label, and a manual item), opens it, and the ranking
// lists the districts from live figures; then a district's figures change (an activity added
// through the API meets its target) and the reloaded ranking shows its total up and its rank no
// worse; the district's admin sees only its own scores, with where it lost points.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { URL_BASE, WAIT, TEST, useBrowser, withPage, login, pageApi } from './lib.mjs'

const ADMIN_PASSWORD = process.env.KEPU_BOOTSTRAP_ADMIN_PASSWORD || 'E2E-Admin-2026'
const DISTRICT_ADMIN = 'd500103_admin'
const DEMO_PASSWORD = 'Demo@2026kepu'
const OFFICE = { width: 1366, height: 768 }

useBrowser()

async function pick(page, selectTest, text) {
  await page.locator(`[data-test=${selectTest}]`).click()
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text })
  await option.first().waitFor(WAIT)
  await option.first().click()
}

const totalOf = async (page, org) =>
  Number((await page.locator(`[data-test=asm-total-${org}]`).innerText()).trim())

test('the assessment ranks districts from live figures and changes when a district\'s figures change', TEST, async () => {
  let schemeId, district
  await withPage('assessments-city', OFFICE, async (page) => {
    await login(page, 'admin', ADMIN_PASSWORD)
    const year = new Date().getFullYear()
    const districts = (await pageApi(page, 'GET', '/orgs?type=district&page_size=100')).json.items
    district = districts.find((d) => d.code === '500103') || districts[0]
    // a target this district has not met yet: one activity more than it has this year
    const stats = (await pageApi(page, 'GET', `/stats?org_id=${district.id}&period=${year}&metrics=activities`)).json
    const actual = stats.values.activities
    const target = await pageApi(page, 'POST', '/targets', { org_id: district.id, title: `E2E考核目标-${Date.now()}`,
      metric: 'activities', period: String(year), goal: actual + 1, applies: 'subtree' })
    assert.equal(target.status, 201, JSON.stringify(target.json))

    // the scheme, built in the editor: sources by their labels, never a raw key
    const title = `E2E区县目标管理考核-${Date.now()}`
    await page.goto(`${URL_BASE}/assessments`)
    await page.locator('[data-test=asm-table]').waitFor(WAIT)
    await page.click('[data-test=asm-add]')
    await page.locator('[data-test=asm-dialog] input[data-test=asm-form-title], [data-test=asm-form-title] input').first().fill(title)
    await page.locator('[data-test=asm-ind-name-0] input, input[data-test=asm-ind-name-0]').first().fill('活动目标完成')
    await pick(page, 'asm-ind-source-0', '目标任务完成率')
    await pick(page, 'asm-ind-param-0', '活动场次')
    await page.click('[data-test=asm-ind-add]')
    await page.locator('[data-test=asm-ind-name-1] input, input[data-test=asm-ind-name-1]').first().fill('特色工作')
    await pick(page, 'asm-ind-source-1', '人工评分')
    assert.match(await page.locator('[data-test=asm-weight-sum]').innerText(), /20/)
    await page.locator('[data-test=asm-weight-warning]').waitFor(WAIT)   /* 20, not 100: warned */
    const dialogText = await page.locator('[data-test=asm-dialog]').innerText()
    assert.doesNotMatch(dialogText, /targets_met|manual\b/)
    await page.click('[data-test=asm-save]')
    const row = page.locator('[data-test=asm-table] .el-table__row', { hasText: title })
    await row.first().waitFor(WAIT)
    const list = (await pageApi(page, 'GET', '/assessments?page_size=100')).json.items
    schemeId = list.find((s) => s.title === title).id
    const saved = (await pageApi(page, 'GET', `/assessments/${schemeId}`)).json
    assert.equal(saved.indicators[0].source, 'targets_met')
    assert.equal(saved.indicators[0].param, 'activities')
    assert.equal(saved.indicators[1].source, 'manual')

    // open it, then the ranking lists the districts
    await row.first().click()
    await page.locator('[data-test=asm-open]').waitFor(WAIT)
    await page.click('[data-test=asm-open]')
    await page.locator('.kepu-confirm .el-button--primary').click()
    await page.locator('[data-test=asm-finalize]').waitFor(WAIT)
    await page.locator('[data-test=asm-ranking]').waitFor(WAIT)
    await page.locator('[data-test=asm-chart]').waitFor(WAIT)
    const names = await page.locator('[data-test=asm-ranking] .el-table__row').count()
    assert.equal(names, districts.length, 'every district is ranked')
    const before = await totalOf(page, district.id)
    const scoresBefore = (await pageApi(page, 'GET', `/assessments/${schemeId}/scores`)).json
    const rankBefore = scoresBefore.units.find((u) => u.org_id === district.id).rank
    assert.ok(before < 10, `the target is not met yet (${before})`)

    // the district's figures change: one more activity meets its target
    const day = `${year}-06-01`
    const act = await pageApi(page, 'POST', '/activities', { org_id: district.id, kind: 'lecture', title: 'E2E考核活动',
      start_date: day, end_date: day, audience: 'youth', participants: 30 })
    assert.equal(act.status, 201, JSON.stringify(act.json))
    await page.reload()
    await page.locator(`[data-test=asm-total-${district.id}]`).waitFor(WAIT)
    const after = await totalOf(page, district.id)
    assert.ok(after > before, `the district's total went up: ${before} -> ${after}`)
    const scoresAfter = (await pageApi(page, 'GET', `/assessments/${schemeId}/scores`)).json
    const rankAfter = scoresAfter.units.find((u) => u.org_id === district.id).rank
    assert.ok(rankAfter <= rankBefore, `its rank is no worse: ${rankBefore} -> ${rankAfter}`)

    // its details: the targets item now full
    await page.click(`[data-test=asm-unit-${district.id}]`)
    await page.locator('[data-test=asm-unit-drawer] [data-test=asm-items]').waitFor(WAIT)
    assert.match(await page.locator('[data-test=asm-unit-drawer] [data-test=asm-item-score-0]').innerText(), /^10\.00 \/ 10/)
  })

  await withPage('assessments-district', OFFICE, async (page) => {
    await login(page, DISTRICT_ADMIN, DEMO_PASSWORD)
    await page.goto(`${URL_BASE}/assessments/${schemeId}`)
    await page.locator('[data-test=asm-my-rank]').waitFor(WAIT)
    assert.equal(await page.locator('[data-test=asm-ranking]').count(), 0, 'no ranking of the others')
    const scores = (await pageApi(page, 'GET', `/assessments/${schemeId}/scores`)).json
    assert.equal(scores.units.length, 1)
    assert.equal(scores.units[0].org_id, district.id)
    // the manual item is not scored yet: that is where it lost points
    assert.match(await page.locator('[data-test=asm-item-detail-1]').innerText(), /尚未评分/)
  })
})
