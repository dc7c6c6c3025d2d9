// Browser test of issue 14's small gaps, at 1366x768 on the demo city (tests/e2e/run.sh).
// Item 21: the 万州区 district admin signs off one of its points' teaching completion for the
// current term from its home (the points table's 签认 column and dialog: returned, with comments);
// the row then shows the result; another district (渝中区) cannot sign that point off (404); and
// the point's head sees the sign-off with its comments on the point's home.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WAIT, TEST, OUT, useBrowser, withPage, login, pageApi } from './lib.mjs'

const PASSWORD = 'Demo@2026kepu'
const DESKTOP = { width: 1366, height: 768 }

useBrowser()

test('a district signs off a point\'s teaching completion and the point sees it (item 21)', TEST, async () => {
  let point, term
  await withPage('gaps-signoff-point-id', DESKTOP, async (page) => {
    await login(page, 'd500101_point', PASSWORD)
    const home = (await pageApi(page, 'GET', '/teaching/home')).json
    assert.equal(home.view, 'point')
    point = home.org.id
    term = home.term
    await page.locator('[data-test=home-signoffs]').waitFor(WAIT)
  })

  const comments = `第${term.term === 'spring' ? '春' : '秋'}季课程记录不全，请补充后再报（E2E）`
  await withPage('gaps-signoff-district', DESKTOP, async (page) => {
    await login(page, 'd500101_admin', PASSWORD)
    await page.locator('[data-test=home-teaching][data-view=district]').waitFor(WAIT)
    const tag = page.locator(`[data-test=signoff-tag-${point}]`)
    assert.equal((await tag.innerText()).trim(), '未签认')
    await page.locator(`[data-test=signoff-open-${point}]`).click()
    const dialog = page.locator('.el-dialog:has([data-test=signoff-status])')
    await dialog.waitFor(WAIT)
    await dialog.locator('[data-test=signoff-returned]').click()
    await dialog.locator('textarea[data-test=signoff-comments]').fill(comments)
    await dialog.locator('[data-test=signoff-save]').click()
    await page.locator(`[data-test=signoff-tag-${point}]:has-text("退回整改")`).waitFor(WAIT)
    await page.screenshot({ path: `${OUT}/gaps-signoff-district.png`, fullPage: true })
    const saved = (await pageApi(page, 'GET', `/teaching/signoffs?org_id=${point}&year=${term.year}&term=${term.term}`)).json
    assert.equal(saved.total, 1)
    assert.equal(saved.items[0].status, 'returned')
    assert.equal(saved.items[0].comments, comments)
  })

  await withPage('gaps-signoff-other-district', DESKTOP, async (page) => {
    await login(page, 'd500103_admin', PASSWORD)
    const r = await pageApi(page, 'POST', '/teaching/signoffs',
      { org_id: point, year: term.year, term: term.term, status: 'confirmed' })
    assert.equal(r.status, 404)
    assert.equal(r.json.error.field, 'org_id')
  })

  await withPage('gaps-signoff-point-home', DESKTOP, async (page) => {
    await login(page, 'd500101_point', PASSWORD)
    const card = page.locator('[data-test=home-signoffs]')
    await card.waitFor(WAIT)
    await card.locator('[data-test=home-signoff-comments]').waitFor(WAIT)
    assert.equal((await card.locator('[data-test=home-signoff-comments]').innerText()).trim(), comments)
    assert.match(await card.innerText(), /退回整改/)
    assert.match(await card.innerText(), /万州区/)   // the signer's name (万州区…管理员)
    await page.screenshot({ path: `${OUT}/gaps-signoff-point.png`, fullPage: true })
  })
})

// Item 23: the dashboard shows the teaching and volunteer figures beside the activity register's,
// each equal to /stats for the same node and period, and every KPI's title has a tooltip naming
// its sources.
test('the dashboard shows teaching and volunteer KPIs with their sources (item 23)', TEST, async () => {
  await withPage('gaps-dashboard-kpis', DESKTOP, async (page) => {
    await login(page, 'd500103_admin', PASSWORD)
    const year = String(new Date().getFullYear())
    await page.goto(`${page.url().replace(/\/[^/]*$/, '')}/dashboard?period=${year}`)
    const cards = page.locator('[data-test=service-kpi-cards]')
    await cards.locator('[data-test=kpi-courses][data-value]').waitFor(WAIT)
    const me = (await pageApi(page, 'GET', '/me')).json
    const orgId = me.org_id ?? me.user?.org_id
    const stats = (await pageApi(page, 'GET',
      `/stats?org_id=${orgId}&period=${year}&metrics=courses,attendance,teaching_hours,volunteer_activities,people_served`)).json
    for (const m of ['courses', 'attendance', 'teaching_hours', 'volunteer_activities', 'people_served'])
      assert.equal(Number(await cards.locator(`[data-test=kpi-${m}]`).getAttribute('data-value')), stats.values[m], m)
    assert.ok(stats.values.courses > 0, 'the demo district held courses this year')
    const onRecord = (await pageApi(page, 'GET',
      `/stats?org_id=${orgId}&period=${Number(stats.to.slice(0, 4)) - 19}-01-01..${stats.to}&metrics=registered_volunteers,volunteer_teams`)).json
    await cards.locator('[data-test=kpi-registered_volunteers][data-value]').waitFor(WAIT)
    for (const m of ['registered_volunteers', 'volunteer_teams'])
      assert.equal(Number(await cards.locator(`[data-test=kpi-${m}]`).getAttribute('data-value')), onRecord.values[m], m)
    // the activity register's row is still there, beside
    await page.locator('[data-test=kpi-cards] [data-test=kpi-activities][data-value]').waitFor(WAIT)
    // every KPI names its sources on hover
    for (const [m, source] of [['activities', '活动登记'], ['volunteer_hours', '志愿项目'], ['courses', '课程'],
      ['registered_volunteers', '志愿者名册'], ['people_served', '受益群众']]) {
      await page.locator(`[data-test=kpi-${m}-title]`).hover()
      const tip = page.locator('.el-popper:visible', { hasText: source })
      await tip.waitFor(WAIT)
      assert.match(await tip.innerText(), /^来源：/)
      await page.mouse.move(0, 0)
      await tip.waitFor({ state: 'hidden', timeout: WAIT.timeout })
    }
    const titles = await page.locator('[data-test$=-title][tabindex]').count()
    assert.ok(titles >= 14, `${titles} KPI titles with a tooltip`)
    await page.screenshot({ path: `${OUT}/gaps-dashboard-kpis.png`, fullPage: true })
  })
})

// Item 17: a register KPI's tooltip lists the figure's parts by source (activity register, report
// forms, volunteer projects), each equal to /stats/sources' part from its records, and the parts
// add up to the card's figure: 渝中区's funds are the register's plus the submitted reports'.
test('the funds KPI lists its sources, which add up to the figure (item 17)', TEST, async () => {
  await withPage('gaps-dashboard-sources', DESKTOP, async (page) => {
    await login(page, 'd500103_admin', PASSWORD)
    const year = String(new Date().getFullYear())
    await page.goto(`${page.url().replace(/\/[^/]*$/, '')}/dashboard?period=${year}`)
    const card = page.locator('[data-test=kpi-cards] [data-test=kpi-funds][data-value]')
    await card.waitFor(WAIT)
    const me = (await pageApi(page, 'GET', '/me')).json
    const orgId = me.org_id ?? me.user?.org_id
    const answer = (await pageApi(page, 'GET', `/stats/sources?org_id=${orgId}&period=${year}`)).json
    await page.locator('[data-test=kpi-funds-title]').hover()
    const parts = page.locator('.el-popper:visible [data-test=kpi-funds-parts]')
    await parts.waitFor(WAIT)
    const shown = {}
    for (const row of await parts.locator('[data-source]').all())
      shown[await row.getAttribute('data-source')] = Number(await row.getAttribute('data-value'))
    for (const s of answer.sources) assert.equal(shown[s.source], s.values.funds, s.source)
    const text = await parts.innerText()
    assert.match(text, /活动登记：/)
    assert.match(text, /定期报表：/)
    assert.ok(shown.activities > 0 && shown.report_forms > 0, 'the demo district has funds from both sources')
    const sum = Object.values(shown).reduce((a, b) => a + b, 0)
    assert.equal(sum, Number(await card.getAttribute('data-value')), 'the parts add up to the card')
    assert.equal(sum, answer.total.funds)
    await page.screenshot({ path: `${OUT}/gaps-dashboard-sources.png`, fullPage: true })
  })
})

// Item 23: the city's district map draws the districts' real shapes, matched by GB/T 2260 code
// (渝中区 500103 …), the development zones without a code (两江新区 …) in the tile grid below.
test('the district map shows real shapes by code with tiles as the fallback (item 23)', TEST, async () => {
  await withPage('gaps-dashboard-map', DESKTOP, async (page) => {
    await login(page, 'city_staff', PASSWORD)
    const year = String(new Date().getFullYear())
    await page.goto(`${page.url().replace(/\/[^/]*$/, '')}/dashboard?period=${year}`)
    const map = page.locator('[data-test=geo-map]')
    await map.waitFor(WAIT)
    const children = (await pageApi(page, 'GET', `/stats/children?period=${year}`)).json.items
    const districts = children.filter((c) => c.type === 'district')
    // 38 of the demo's 41 districts have a 6-digit code the package knows (梁平, 武隆 by their old codes)
    assert.equal(Number(await map.getAttribute('data-regions')), 38)
    await page.locator('[data-test=geo-map-rest]').waitFor(WAIT)
    assert.match(await page.locator("[data-test=geo-map-rest]").innerText(), / 3 个/)
    await page.locator('[data-test=tile-map]').waitFor(WAIT)
    assert.ok(districts.length >= 41)
    await page.locator('[data-test=geo-map] canvas').waitFor(WAIT)
    await page.screenshot({ path: `${OUT}/gaps-dashboard-map.png`, fullPage: true })
  })
})
