// Browser tests of issue 14's back-office items at 1366x768, as the city admin on the demo city:
//  5. no page shows an i18n key or a raw code: every menu page is visited and its text searched
//     for key shapes (dashboard.metrics.courses) and dictionary codes (2026:science_week,
//     checkin_session, kind.lecture); the audit log names entities, actions and fields in Chinese
//     and its filter offers every entity type; course categories show their full names.
// 10. WCAG AA contrast of key texts (computed colours against the painted background), labelled
//     login inputs, and a not-found page for a bad id in a detail address.
// 11. the menu grouped by the role's work, with no icon reused, and a breadcrumb with the real
//     path on a detail page.
// (The static half of item 5, keys present in zh and en, is backoffice_i18n.test.mjs.)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readdirSync } from 'node:fs'
import { URL_BASE, WAIT, TEST, useBrowser, withPage, login, pageApi } from './lib.mjs'

const USER = 'admin'
const PASSWORD = process.env.KEPU_BOOTSTRAP_ADMIN_PASSWORD || 'E2E-Admin-2026'
const DESKTOP = { width: 1366, height: 768 }
const WEB = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'src', 'i18n')

useBrowser()

// The top-level namespaces of the UI's messages: "menu.audit" on a page is a key left untranslated.
async function namespaces() {
  const names = new Set()
  const dicts = { auditEntity: {}, auditAction: {}, auditField: {} }
  for (const f of ['zh.js', 'en.js', ...readdirSync(join(WEB, 'modules')).map((m) => join('modules', m))]) {
    const mod = (await import(join(WEB, f))).default
    for (const lang of f.startsWith('modules') ? [mod.zh || {}, mod.en || {}] : [mod]) {
      for (const k of Object.keys(lang)) names.add(k)
      for (const d of Object.keys(dicts)) Object.assign(dicts[d], lang[d] || {})
    }
  }
  return { names, dicts }
}

// Waits for a page to settle: no request in flight, no loading mask.
async function settle(page) {
  await page.waitForLoadState('networkidle').catch(() => {})
  await page.locator('.el-loading-mask').first().waitFor({ state: 'hidden', timeout: 15000 }).catch(() => {})
  await page.waitForTimeout(300)
}

// What a reader sees in the layout (menu, breadcrumb, page) as one text.
const visibleText = (page) => page.evaluate(() => document.querySelector('#app').innerText)

// Codes that must never reach a reader: keys of the UI's messages, metric codes, window periods
// and snake_case codes of the server's dictionaries (usernames, emails and IPs are data).
function offenders(text, names, codes) {
  const found = []
  for (const m of text.matchAll(/\b([a-zA-Z]+)((?:\.[a-zA-Z_]+)+)\b/g)) {
    if (names.has(m[1]) || m[1] === 'kind' || m[1] === 'audience') found.push(m[0])
  }
  for (const m of text.matchAll(/\b\d{4}:[a-z_]+\b/g)) found.push(m[0])
  for (const m of text.matchAll(/\b[a-z]+(?:_[a-z]+)+\b/g)) if (codes.has(m[0])) found.push(m[0])
  return found
}

test('no menu page shows an i18n key or a raw code; the audit log speaks Chinese', TEST, async () => {
  const { names, dicts } = await namespaces()
  await withPage('backoffice-codes', DESKTOP, async (page) => {
    await login(page, USER, PASSWORD)
    // the codes to look for: every dictionary code with an underscore, windows and kinds of the demo
    const codes = new Set()
    for (const d of Object.values(dicts)) for (const k of Object.keys(d)) if (k.includes('_')) codes.add(k)
    for (const s of ['on_track', 'org_admin', 'daily_use', 'science_week', 'teaching_hours', 'volunteer_hours']) codes.add(s)
    const windows = await pageApi(page, 'GET', '/stat-windows?year=2026')
    for (const w of windows.json?.items || []) codes.add(w.code)
    assert.ok(codes.size > 50, 'the list of codes to look for is filled')

    const paths = await page.locator('[data-test=side-menu] li.el-menu-item').evaluateAll(
      (els) => els.map((e) => e.getAttribute('data-test')))
    const menuPages = []
    for (const dt of paths) {
      await page.click(`[data-test=${dt}]`)
      await settle(page)
      menuPages.push(page.url())
      const text = await visibleText(page)
      assert.deepEqual(offenders(text, names, codes), [], `raw keys or codes on ${page.url()}`)
    }
    assert.ok(menuPages.length >= 18, `the city admin visited ${menuPages.length} menu pages`)

    // The dashboard's targets (the demo sets one on courses and one in 2026:science_week) name
    // their metric and their window.
    await page.goto(`${URL_BASE}/dashboard`)
    const items = page.locator('[data-test=target-item]')
    await items.nth(4).waitFor(WAIT)
    await settle(page)
    const targetsText = await page.locator('[data-test=targets-panel]').innerText()
    assert.deepEqual(offenders(targetsText, names, codes), [], 'raw keys or codes in the targets')
    assert.match(targetsText, /开课次数/, 'the course metric by name')
    assert.match(targetsText, /2026 科技活动周/, 'the window by name')

    // 审计日志: entity and action names, field names and times in the expanded changes.
    await page.goto(`${URL_BASE}/audit`)
    await settle(page)
    const table = page.locator('[data-test=audit-table]')
    const rows = table.locator('tr.el-table__row')
    assert.ok(await rows.count() > 0, 'the audit log has rows')
    const entityCells = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[3]?.innerText.trim()))
    for (const c of entityCells) assert.match(c, /[\u4e00-\u9fa5]/, `entity "${c}" is named in Chinese`)
    // expanded from the last, as an expanded row puts its own table's rows after it
    for (let i = Math.min(3, await rows.count()) - 1; i >= 0; i--) await rows.nth(i).locator('.el-table__expand-icon').click()
    const fields = table.locator('[data-test=audit-field]')
    await fields.first().waitFor(WAIT)
    for (const f of await fields.all()) {
      const code = await f.getAttribute('data-field')
      const text = (await f.innerText()).trim()
      assert.notEqual(text, code, `field ${code} shown as its code`)
      assert.match(text, /[\u4e00-\u9fa5]/, `field ${code} has a Chinese name`)
    }
    const changes = await table.locator('[data-test=audit-changes]').first().innerText()
    assert.doesNotMatch(changes, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'no ISO time in the changes')
    // the entity filter offers every entity type the server records, by name
    await page.click('[data-test=audit-entity]')
    const opts = page.locator('.el-select-dropdown:visible .el-select-dropdown__item')
    await opts.first().waitFor(WAIT)
    const optTexts = await opts.allInnerTexts()
    assert.ok(optTexts.length >= 30, `the entity filter lists ${optTexts.length} types`)
    for (const want of ['教师', '课程', '志愿者', '签到场次', '教学计划', '定期报表']) {
      assert.ok(optTexts.includes(want), `the entity filter offers ${want}`)
    }
    await page.keyboard.press('Escape')

    // 课程: the categories read as full names, never one character.
    await page.goto(`${URL_BASE}/courses`)
    await settle(page)
    const tags = page.locator('[data-test=course-category-tag], [data-test=course-category-cell]')
    await tags.first().waitFor(WAIT)
    for (const tg of await tags.all()) {
      const text = (await tg.innerText()).trim()
      assert.ok(text.length > 1, `a course category shown as "${text}"`)
    }
  })
})

// Contrast of two CSS colours by WCAG 2 (relative luminance); alpha is blended on the background.
function contrast(fg, bg) {
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
  }
  const blended = fg[3] < 1 ? fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3])) : fg
  const [a, b] = [lum(blended), lum(bg)]
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
}

// [text colour, painted background] of the first visible element of each selector.
function colours(page, selectors) {
  return page.evaluate((sels) => {
    const rgba = (s) => { const m = s.match(/[\d.]+/g).map(Number); return [m[0], m[1], m[2], m[3] ?? 1] }
    const out = {}
    for (const sel of sels) {
      const el = [...document.querySelectorAll(sel)].find((e) => e.offsetParent !== null && e.innerText.trim())
      if (!el) continue
      let bg = null
      for (let n = el; n && !bg; n = n.parentElement) {
        const c = rgba(getComputedStyle(n).backgroundColor)
        if (c[3] > 0) bg = c
      }
      out[sel] = { fg: rgba(getComputedStyle(el).color), bg: bg || [255, 255, 255, 1], text: el.innerText.trim().slice(0, 20) }
    }
    return out
  }, selectors)
}

async function assertContrast(page, selectors, min = 4.5) {
  const got = await colours(page, selectors)
  for (const sel of selectors) {
    assert.ok(got[sel], `${sel} is on the page`)
    const r = contrast(got[sel].fg, got[sel].bg)
    assert.ok(r >= min, `${sel} ("${got[sel].text}") has contrast ${r.toFixed(2)}:1 < ${min}:1`)
  }
}

test('key texts meet WCAG AA, login inputs are labelled, a bad id shows a not-found page', TEST, async () => {
  await withPage('backoffice-a11y', DESKTOP, async (page) => {
    await page.goto(`${URL_BASE}/login`)
    await page.locator('input[data-test=login-password]').waitFor(WAIT)
    const labelled = await page.evaluate(() => ['login-username', 'login-password'].map((t) => {
      const input = document.querySelector(`input[data-test=${t}]`)
      const byFor = [...(input?.labels || [])].map((l) => l.textContent.trim()).filter(Boolean)
      return { t, label: byFor[0] || input?.getAttribute('aria-label') || '' }
    }))
    assert.deepEqual(labelled.map((l) => [l.t, !!l.label]), [['login-username', true], ['login-password', true]])
    assert.deepEqual(labelled.map((l) => l.label), ['用户名', '密码'])
    await assertContrast(page, ['.login-page .subtitle'])

    await login(page, USER, PASSWORD)
    await page.goto(`${URL_BASE}/audit`)
    await settle(page)
    await assertContrast(page, [
      '[data-test=side-menu] .el-menu-item.is-active', // the active menu item (was 3.75:1)
      '[data-test=side-menu] .el-menu-item:not(.is-active)',
      '[data-test=side-menu] .el-sub-menu__title',
      '[data-test=breadcrumb] .el-breadcrumb__inner',
      '.el-pagination__total',
      '.el-tag--success', // the action tags (新增)
    ])
    // table texts, a plain or info tag, and the secondary grey (was #909399, 3.08:1)
    await page.goto(`${URL_BASE}/users`)
    await settle(page)
    await assertContrast(page, ['.el-table th .cell', '.el-table td .cell', '.el-button--primary'])
    await page.goto(`${URL_BASE}/courses`)
    await settle(page)
    await assertContrast(page, ['.el-tag--info, .el-tag.el-tag--plain'])
    const grey = await page.evaluate(() => {
      const probe = document.createElement('span')
      probe.style.color = 'var(--el-text-color-secondary)'
      probe.textContent = 'x'
      document.body.appendChild(probe)
      const c = getComputedStyle(probe).color
      probe.remove()
      return c
    })
    const g = grey.match(/\d+/g).map(Number)
    assert.ok(contrast([...g, 1], [255, 255, 255]) >= 4.5, `the secondary grey ${grey} is 4.5:1 on white`)

    // A bad id in a detail address: the not-found page, on every detail page.
    for (const [path, list] of [['/volunteers/999999', '/volunteers'], ['/volunteer-teams/999999', '/volunteer-teams'],
      ['/volunteer-projects/999999', '/volunteer-projects'], ['/forms/999999', '/forms'], ['/plans/999999', '/plans'],
      ['/teachers/999999', '/teachers'], ['/volunteers/abc', '/volunteers']]) {
      await page.goto(`${URL_BASE}${path}`)
      const nf = page.locator('[data-test=not-found]')
      await nf.waitFor(WAIT)
      assert.match(await nf.innerText(), /未找到该记录/, `${path} says not found`)
      if (path === '/volunteers/999999') {
        await page.click('[data-test=not-found-back]')
        await page.waitForURL(`${URL_BASE}${list}`)
      }
    }
  })
})

test('the menu is grouped by the work, icons are not reused, the breadcrumb shows the real path', TEST, async () => {
  await withPage('backoffice-menu', DESKTOP, async (page) => {
    await login(page, USER, PASSWORD)
    const groups = await page.locator('[data-test=side-menu] [data-test^=menu-group-]').evaluateAll((els) => els.map((g) => ({
      group: g.getAttribute('data-test').replace('menu-group-', ''),
      title: g.querySelector('.el-sub-menu__title').innerText.trim(),
      items: [...g.querySelectorAll('li.el-menu-item')].map((li) => li.getAttribute('data-test')),
    })))
    assert.deepEqual(groups.map((g) => g.title), ['数据', '工作督办', '社区科普大学', '科技志愿', '征集评审', '科学素质', '系统'])
    const byGroup = Object.fromEntries(groups.map((g) => [g.group, g.items]))
    assert.deepEqual(byGroup.data, ['menu-dashboard', 'menu-activities', 'menu-targets', 'menu-forms'])
    assert.deepEqual(byGroup.work, ['menu-notices', 'menu-notice-inbox', 'menu-meetings', 'menu-work-plans', 'menu-task-board',
      'menu-my-tasks', 'menu-assessments',
      'menu-screens'])   // issue 18 D: 科普e站
    // issue 18 U: 资源库 after 课程
    assert.deepEqual(byGroup.university, ['menu-teachers', 'menu-plans', 'menu-courses', 'menu-resources', 'menu-students'])
    assert.deepEqual(byGroup.volunteer, ['menu-volunteer-teams', 'menu-volunteers', 'menu-volunteer-projects', 'menu-volunteer-duty'])
    assert.deepEqual(byGroup.review, ['menu-teacher-selections', 'menu-calls', 'menu-designations', 'menu-my-calls', 'menu-reviews', 'menu-experts'])
    // issue 17: 科学素质 — 题库 (A), 竞赛 (E), 素质调查 (C)
    assert.deepEqual(byGroup.literacy, ['menu-questions', 'menu-contests', 'menu-literacy-surveys'])
    assert.deepEqual(byGroup.system, ['menu-orgs', 'menu-users', 'menu-audit', 'menu-logins', 'menu-dictionaries'])
    for (const g of groups) assert.ok(g.items.length > 0, `group ${g.title} is not empty`)
    // every page's icon is its own
    const icons = await page.locator('[data-test=side-menu] li.el-menu-item').evaluateAll(
      (els) => els.map((li) => li.querySelector('.el-icon svg')?.innerHTML || ''))
    assert.ok(icons.length >= 19 && icons.every(Boolean), 'every menu item has an icon')
    assert.equal(new Set(icons).size, icons.length, 'no icon is used twice in the menu')

    // a detail page: 首页 / 科技志愿 / 科技志愿者 (a link) / 志愿者档案, the list lit in the menu
    const list = await pageApi(page, 'GET', '/volunteers?page_size=1')
    const id = list.json?.items?.[0]?.id
    assert.ok(id, 'the demo has a volunteer')
    await page.goto(`${URL_BASE}/volunteers/${id}`)
    await settle(page)
    const crumbs = await page.locator('[data-test=breadcrumb] [data-test=crumb]').allInnerTexts()
    assert.deepEqual(crumbs.map((c) => c.trim()), ['首页', '科技志愿', '科技志愿者', '志愿者档案'])
    assert.match(await page.locator('[data-test=side-menu] .el-menu-item.is-active').getAttribute('data-test'), /^menu-volunteers$/)
    await page.locator('[data-test=breadcrumb] [data-test=crumb]', { hasText: '科技志愿者' }).click()
    await page.waitForURL(`${URL_BASE}/volunteers`)
    // a list page: 首页 / 系统 / 审计日志
    await page.click('[data-test=menu-audit]')
    await page.waitForURL(`${URL_BASE}/audit`)
    assert.deepEqual((await page.locator('[data-test=breadcrumb] [data-test=crumb]').allInnerTexts()).map((c) => c.trim()),
      ['首页', '系统', '审计日志'])
  })
})
