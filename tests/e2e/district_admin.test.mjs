// Browser test (node:test + playwright-core + Debian's Chromium): the 渝中区 district admin
// sees only its own subtree, adds a teaching point, finds it in the tree and in the audit log;
// on a phone-size screen the menu is still reachable. Run by tests/e2e/run.sh, which starts a
// demo server and sets KEPU_URL (and E2E_OUT, where screenshots of failures go).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { URL_BASE, WAIT, TEST, useBrowser, withPage, login, submitLogin } from './lib.mjs'

const USER = 'd500103_admin'
const PASSWORD = 'Demo@2026kepu'

useBrowser()

test('a wrong password shows the server message', TEST, async () => {
  await withPage('wrong-password', { width: 1280, height: 900 }, async (page) => {
    await submitLogin(page, 'd500105_admin', 'not-the-password')
    const alert = page.locator('[data-test=login-error]')
    await alert.waitFor(WAIT)
    assert.match(await alert.innerText(), /用户名或密码错误|密码/)
    assert.ok(page.url().endsWith('/login'))
  })
})

test('district admin sees its subtree, adds a teaching point, finds it in the audit log', TEST, async () => {
  await withPage('desktop', { width: 1280, height: 900 }, async (page) => {
    await login(page, USER, PASSWORD)
    await page.locator('[data-test=side-menu]').waitFor(WAIT)
    await page.click('[data-test=menu-orgs]')

    // The forest has exactly one root, 渝中区; no other district, not the city.
    const tree = page.locator('[data-test=org-tree]')
    const roots = tree.locator(':scope > .el-tree-node')
    await roots.first().waitFor(WAIT)
    assert.equal(await roots.count(), 1, 'one root')
    const rootLabel = roots.first().locator(':scope > .el-tree-node__content .node-name')
    assert.equal((await rootLabel.innerText()).trim(), '渝中区')
    const text = await tree.innerText()
    assert.ok(!text.includes('江北区'), 'another district leaks into the tree')
    assert.ok(!text.includes('重庆市科协'), 'the city leaks into the tree')
    // Searching for another district finds nothing.
    await page.fill('input[data-test=org-search]', '江北区')
    await tree.locator('.el-tree__empty-block').waitFor(WAIT)
    await page.fill('input[data-test=org-search]', '')

    // 新增下级 under 渝中区: type 教学点, a unique name.
    const name = `E2E测试教学点-${Date.now()}`
    await rootLabel.click()
    await page.locator('[data-test=org-details]').getByText('渝中区').first().waitFor(WAIT)
    await page.click('[data-test=org-add-child]')
    const dialog = page.locator('.el-dialog[data-test=org-dialog]')
    await dialog.waitFor(WAIT)
    await dialog.locator('[data-test=org-form-type]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^教学点$/ }).click()
    await page.fill('input[data-test=org-form-name]', name)
    await page.click('[data-test=org-form-submit]')
    await dialog.waitFor({ state: 'hidden', ...WAIT })

    // Found in the tree through the search box, and shown as the selected node.
    await page.fill('input[data-test=org-search]', name)
    await tree.getByText(name, { exact: true }).waitFor(WAIT)
    const details = page.locator('[data-test=org-details]')
    await details.getByText(name).first().waitFor(WAIT)
    assert.match(await details.innerText(), /教学点/)

    // 审计日志 has a create entry for it, with the name in its changes.
    await page.click('[data-test=menu-audit]')
    const table = page.locator('[data-test=audit-table]')
    const row = table.locator('tr.el-table__row', { hasText: name }).first()
    await row.waitFor(WAIT)
    assert.equal(await row.locator('[data-test=audit-action]').getAttribute('data-action'), 'create')
    await row.locator('.el-table__expand-icon').click()
    const changes = table.locator('[data-test=audit-changes]').first()
    await changes.waitFor(WAIT)
    const changesText = await changes.innerText()
    assert.ok(changesText.includes(name), 'the name is in the changes')
    assert.ok(changesText.includes('point'), 'the type is in the changes')
  })
})

test('the menu is reachable on a phone-size screen', TEST, async () => {
  await withPage('phone', { width: 390, height: 844 }, async (page) => {
    await login(page, USER, PASSWORD)
    await page.locator('[data-test=menu-toggle]').waitFor(WAIT)
    // On a phone the side menu is not shown until the hamburger opens the drawer.
    assert.equal(await page.locator('[data-test=menu-orgs]').isVisible(), false)
    await page.click('[data-test=menu-toggle]')
    await page.locator('[data-test=menu-orgs]').waitFor({ state: 'visible', ...WAIT })
    await page.click('[data-test=menu-orgs]')
    await page.locator('[data-test=org-tree]').getByText('渝中区', { exact: true }).waitFor(WAIT)
    // The drawer closed after navigating, and the page fits the screen width.
    await page.locator('[data-test=menu-orgs]').waitFor({ state: 'hidden', ...WAIT })
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 390, `page is ${width}px wide on a 390px screen`)
  })
})
