// Browser test (issue 18 D): a 科普e站 kiosk pairs, plays, goes offline and keeps playing. A
// district admin makes a playlist in the editor (an image resource of the district, found by its
// title, and the upcoming courses) the default for district screens; the kiosk page
// (/kiosk/index.html, its own browser context) shows a pairing code; the admin types it in
// 科普e站 → 配对新屏幕; the kiosk then plays the
// image and the course table, and its heartbeat marks it online with plays. Offline the kiosk
// keeps playing, and after a reload offline too (the service worker answers the page, the
// playlist and the image from its cache); back online its queued plays arrive, counted once.
// The kiosk reaches the server through a TCP relay in this test, and "offline" is that relay
// refusing every connection as well as context.setOffline: Chromium's emulation alone holds
// some requests of a page a service worker controls and lets them through later, seconds into
// the "offline" time. Run by tests/e2e/run.sh on the demo city.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import net from 'node:net'
import { WAIT, TEST, URL_BASE, login, pageApi as api } from './lib.mjs'

const require = createRequire(new URL('../../web/package.json', import.meta.url))
const { chromium } = require('playwright-core')
const PASSWORD = 'Demo@2026kepu'
// a 1x1 PNG
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

// A draft image resource of the caller's node with one PNG version; its id.
async function pngResource(page) {
  return page.evaluate(async (b64) => {
    const csrf = (await (await fetch('/api/v1/auth/csrf')).json()).csrf_token
    const json = { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }
    const r = await (await fetch('/api/v1/resources', { method: 'POST', headers: json,
      body: JSON.stringify({ title: '科普e站测试图片', kind: 'images' }) })).json()
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
    const v = await fetch(`/api/v1/resources/${r.id}/versions`, { method: 'POST', body: bytes,
      headers: { 'X-CSRF-Token': csrf, 'X-File-Name': encodeURIComponent('图.png'), 'Content-Type': 'application/octet-stream' } })
    if (v.status !== 201) throw new Error(`upload: ${v.status}`)
    return r.id
  }, PNG)
}

// Waits until the kiosk has shown an item of each kind (data-kind), whatever the order.
async function seesBoth(kiosk) {
  const seen = new Set()
  for (let i = 0; i < 60 && seen.size < 2; i++) {
    const kind = await kiosk.locator('[data-test=kiosk-item]').getAttribute('data-kind', WAIT).catch(() => null)
    if (kind) seen.add(kind)
    await kiosk.waitForTimeout(300)
  }
  assert.deepEqual([...seen].sort(), ['courses', 'resource'])
}

// A TCP relay to the server on a port of its own; cut(true) drops every open connection and
// resets every new one until cut(false).
async function relay(target) {
  const { hostname, port } = new URL(target)
  const open = new Set()
  let down = false
  const server = net.createServer((client) => {
    if (down) { client.resetAndDestroy(); return }
    const upstream = net.connect(Number(port), hostname)
    open.add(client); open.add(upstream)
    const close = () => { client.destroy(); upstream.destroy(); open.delete(client); open.delete(upstream) }
    client.on('error', close).on('close', close)
    upstream.on('error', close).on('close', close)
    client.pipe(upstream).pipe(client)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    cut(on) { down = on; if (on) for (const s of open) s.destroy() },
    close() { for (const s of open) s.destroy(); server.close() },
  }
}

async function screenRow(page, name) {
  const list = (await api(page, 'GET', `/screens?q=${encodeURIComponent(name)}`)).json.items
  assert.equal(list.length, 1)
  return list[0]
}

test('a kiosk pairs, plays, goes offline and keeps playing', TEST, async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] })
  const staffCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
  const kioskCtx = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' })
  const staff = await staffCtx.newPage()
  const kiosk = await kioskCtx.newPage()
  const errors = []
  kiosk.on('pageerror', (e) => errors.push(e.message))
  const name = `测试屏-${Date.now() % 100000}`
  const line = await relay(URL_BASE)
  try {
    await login(staff, 'd500103_admin', PASSWORD)
    const me = (await api(staff, 'GET', '/me')).json
    const district = me.user?.org_id ?? me.org_id
    const res = await pngResource(staff)
    assert.ok(district)

    // the playlist, made in 科普e站 → 播放列表: the image (searched by title), then the courses
    await staff.goto(`${URL_BASE}/screens?tab=playlists`)
    await staff.locator('[data-test=playlists-table]').waitFor(WAIT)
    await staff.click('[data-test=playlists-add]')
    const form = staff.locator('.el-dialog[data-test=playlist-form]')
    await form.waitFor(WAIT)
    await form.locator('input[data-test=pf-name]').fill(`${name}的列表`)
    await form.locator('[data-test=pf-type]').click()
    await staff.locator('.el-select-dropdown__item:visible', { hasText: '区县科协' }).click()
    await form.locator('[data-test=pf-add-item]').click()
    await form.locator('[data-test=pf-res-0]').click()
    await staff.keyboard.type('科普e站测试图片')
    await staff.locator('.el-select-dropdown__item:visible', { hasText: `#${res}` }).click()
    await form.locator('[data-test=pf-res-0]').filter({ hasText: `#${res}` }).waitFor(WAIT)
    await form.locator('[data-test=pf-seconds-0] input').fill('5')
    await form.locator('[data-test=pf-add-item]').click()
    await form.locator('[data-test=pf-kind-1]').click()
    await staff.locator('.el-select-dropdown__item:visible', { hasText: '本点近期课程' }).click()
    await form.locator('[data-test=pf-seconds-1] input').fill('5')
    await form.locator('[data-test=pf-seconds-1] input').press('Tab')
    await staff.click('[data-test=playlist-save]')
    await form.waitFor({ state: 'hidden', ...WAIT })
    const pl = (await api(staff, 'GET', `/playlists?q=${encodeURIComponent(name)}`)).json.items[0]
    assert.deepEqual(pl.items, [{ kind: 'resource', ref_id: res, seconds: 5 }, { kind: 'courses', seconds: 5 }])
    assert.equal(pl.for_type, 'district')

    // the kiosk shows a code; staff register it in 科普e站
    await kiosk.goto(`${line.url}/kiosk/index.html?speed=5&hb=2`)
    const codeEl = kiosk.locator('[data-test=kiosk-code]')
    await codeEl.filter({ hasText: /^\d{6}$/ }).waitFor(WAIT)
    const code = (await codeEl.innerText()).trim()
    await staff.goto(`${URL_BASE}/screens`)
    await staff.locator('[data-test=screens-table]').waitFor(WAIT)
    await staff.click('[data-test=screens-pair]')
    const dialog = staff.locator('.el-dialog[data-test=screen-form]')
    await dialog.waitFor(WAIT)
    await dialog.locator('input[data-test=sf-code]').fill(code)
    await dialog.locator('input[data-test=sf-name]').fill(name)
    await staff.click('[data-test=screen-save]')
    await dialog.waitFor({ state: 'hidden', ...WAIT })
    await staff.locator('[data-test=screens-table]').getByText(name).waitFor(WAIT)

    // it plays both items; its image came through the service worker
    await kiosk.locator('[data-test=kiosk-stage]').waitFor(WAIT)
    await seesBoth(kiosk)
    await kiosk.locator('[data-test=kiosk-item][data-kind=resource] img').waitFor(WAIT)
    assert.ok(await kiosk.evaluate(() => !!navigator.serviceWorker.controller), 'the service worker controls the kiosk')
    await kiosk.waitForFunction(async () => !!(await (await caches.open('kiosk-data-v1')).keys())
      .find((r) => r.url.includes('/api/v1/kiosk/resources/')), null, WAIT)
    // heartbeats: online, plays counted
    let row
    for (let i = 0; i < 30; i++) {
      row = await screenRow(staff, name)
      if (row.online && row.plays > 0) break
      await staff.waitForTimeout(500)
    }
    assert.ok(row.online && row.plays > 0, `online with plays: ${JSON.stringify(row)}`)

    // offline: it keeps playing, says so, and a reload offline still plays
    line.cut(true)
    await kioskCtx.setOffline(true)
    await kiosk.locator('[data-test=kiosk-status].offline').waitFor(WAIT)
    await kiosk.waitForTimeout(1000)   // a heartbeat relayed just before the cut may still be stored
    const before = (await screenRow(staff, name)).plays
    await seesBoth(kiosk)
    await kiosk.reload()
    await kiosk.locator('[data-test=kiosk-stage]').waitFor(WAIT)
    await seesBoth(kiosk)
    await kiosk.locator('[data-test=kiosk-item][data-kind=resource] img').waitFor(WAIT)
    const img = await kiosk.locator('[data-test=kiosk-item][data-kind=resource] img').evaluate((el) => el.complete && el.naturalWidth)
    assert.equal(img, 1, 'the image shows offline (from the cache)')
    assert.equal((await screenRow(staff, name)).plays, before, 'nothing arrives while offline')

    // back online: the queued plays arrive
    line.cut(false)
    await kioskCtx.setOffline(false)
    let after = before
    for (let i = 0; i < 30 && after <= before; i++) {
      await staff.waitForTimeout(500)
      after = (await screenRow(staff, name)).plays
    }
    assert.ok(after > before, `plays after the network came back: ${before} -> ${after}`)
    assert.deepEqual(errors, [], 'uncaught errors in the kiosk')
  } catch (e) {
    await kiosk.screenshot({ path: `${process.env.E2E_OUT || '/tmp'}/failure-screens-kiosk.png` }).catch(() => {})
    await staff.screenshot({ path: `${process.env.E2E_OUT || '/tmp'}/failure-screens-staff.png` }).catch(() => {})
    throw e
  } finally {
    line.close()
    await browser.close()
  }
})
