// Browser test (issue 17 C): a district enters a literacy survey row in the 素质调查 page and the
// city's rate on the dashboard changes to the population-weighted value. The 渝中区 admin's row of
// this year is taken away first (through the API), so that the page enters it anew with a rate far
// from the others; the city's dashboard card shows the rate GET /stats answers before and after,
// and the two differ. Also: the list at 390 px wide shows the row. Run by tests/e2e/run.sh on the
// demo city (populations and surveys 2023..this year for every district).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WAIT, TEST, URL_BASE, useBrowser, withPage, login, pageApi as api } from './lib.mjs'

const PASSWORD = 'Demo@2026kepu'
const YEAR = new Date().getFullYear()

useBrowser()

// The rate the dashboard card shows for the city, and the one the API answers.
async function cityRate(page, cityId) {
  await page.goto(`${URL_BASE}/dashboard?org_id=${cityId}&period=${YEAR}`)
  const shown = page.locator('[data-test=literacy-card] [data-test=literacy-rate]')
  await shown.waitFor(WAIT)
  const stats = (await api(page, 'GET', `/stats?org_id=${cityId}&period=${YEAR}&metrics=literacy_rate`)).json
  return { shown: (await shown.innerText()).trim(), api: Number(stats.values.literacy_rate).toFixed(2) }
}

test('a district enters a survey row and the city\'s rate follows on the dashboard', TEST, async () => {
  let cityId
  let before
  await withPage('literacy-district', { width: 1280, height: 900 }, async (page) => {
    await login(page, 'd500103_admin', PASSWORD)
    const me = (await api(page, 'GET', '/me')).json
    const district = me.user?.org_id ?? me.org_id
    const mine = (await api(page, 'GET', `/literacy/surveys?org_id=${district}&year=${YEAR}&group_dim=all`)).json.items
    for (const row of mine) assert.equal((await api(page, 'DELETE', `/literacy/surveys/${row.id}`)).status, 204)

    await page.goto(`${URL_BASE}/literacy-surveys`)
    await page.locator('[data-test=literacy-table]').waitFor(WAIT)
    await page.click('[data-test=literacy-add]')
    const dialog = page.locator('.el-dialog[data-test=literacy-form]')
    await dialog.waitFor(WAIT)
    const year = dialog.locator('[data-test=lf-year] input').first()
    await year.fill(String(YEAR))
    await year.press('Tab')
    const rate = dialog.locator('[data-test=lf-rate] input').first()
    await rate.fill('31.25')
    await rate.press('Tab')
    await page.click('[data-test=literacy-save]')
    await dialog.waitFor({ state: 'hidden', ...WAIT })
    const rows = (await api(page, 'GET', `/literacy/surveys?org_id=${district}&year=${YEAR}&group_dim=all`)).json.items
    assert.equal(rows.length, 1)
    assert.equal(rows[0].literate_rate, 31.25)
    assert.ok(rows[0].weight_population > 0, 'the district\'s resident population was taken')
    await page.locator(`[data-test=literacy-rate-${rows[0].id}]`, { hasText: '31.25' }).waitFor(WAIT)
  })

  await withPage('literacy-city', { width: 1280, height: 900 }, async (page) => {
    await login(page, 'city_staff', PASSWORD)
    const me = (await api(page, 'GET', '/me')).json
    cityId = me.user?.org_id ?? me.org_id
    const after = await cityRate(page, cityId)
    assert.equal(after.shown, after.api, 'the card shows what /stats answers')
    // the same city without the district's row: take it away and look again
    const rows = (await api(page, 'GET', `/literacy/surveys?year=${YEAR}&group_dim=all&q=`)).json.items
    const entered = rows.find((r) => r.literate_rate === 31.25)
    assert.ok(entered, 'the city sees the district\'s row')
    assert.equal((await api(page, 'DELETE', `/literacy/surveys/${entered.id}`)).status, 204)
    before = await cityRate(page, cityId)
    assert.equal(before.shown, before.api)
    assert.ok(Number(after.api) > Number(before.api), `a 31.25% district raises the city's rate (${before.api} -> ${after.api})`)
    // put it back as the district entered it
    const back = await api(page, 'POST', '/literacy/surveys', { org_id: entered.org_id, year: YEAR, group_dim: 'all',
      literate_rate: 31.25 })
    assert.equal(back.status, 201)
    assert.equal((await cityRate(page, cityId)).shown, after.shown)
  })

  await withPage('literacy-phone', { width: 390, height: 844 }, async (page) => {
    await login(page, 'city_staff', PASSWORD)
    await page.goto(`${URL_BASE}/literacy-surveys?year=${YEAR}`)
    await page.locator('[data-test=literacy-table] tr.el-table__row').first().waitFor(WAIT)
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 400, `no sideways scrolling at 390 px (${width})`)
  })
})
