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
