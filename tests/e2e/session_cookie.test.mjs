// Browser test (issue 12): the UI kept the session token in localStorage, where any script on
// the page (an XSS) could read and send it elsewhere. Now the session is only the HttpOnly
// kepu_session cookie: after login neither localStorage nor sessionStorage nor document.cookie
// holds the token; a reload keeps the user signed in and writes still work (the CSRF token is
// fetched again); a write without the X-CSRF-Token header is refused; logout ends the session.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { URL_BASE, WAIT, TEST, useBrowser, withPage, login } from './lib.mjs'

const USER = 'd500112_staff'
const PASSWORD = 'Demo@2026kepu'

useBrowser()

// Everything a script on the page can read: both storages and the cookies it can see.
const readable = (page) => page.evaluate(() => {
  const dump = (s) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`).join('\n')
  return { local: dump(localStorage), session: dump(sessionStorage), cookie: document.cookie }
})

test('the session is an HttpOnly cookie: no token in storage, reload keeps it, logout ends it', TEST, async () => {
  await withPage('session-cookie', { width: 1280, height: 900 }, async (page) => {
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'))
    await login(page, USER, PASSWORD)
    const body = await (await answer).json()
    const cookies = await page.context().cookies()
    const session = cookies.find((c) => c.name === 'kepu_session')
    assert.ok(session && session.value.length > 20, 'the server set kepu_session')
    assert.equal(session.httpOnly, true)
    const secrets = [session.value, body.token, body.csrf_token].filter(Boolean)

    const seen = await readable(page)
    for (const s of secrets) {
      assert.ok(!seen.local.includes(s), 'a session secret is in localStorage')
      assert.ok(!seen.session.includes(s), 'a session secret is in sessionStorage')
      assert.ok(!seen.cookie.includes(s), 'document.cookie shows the session')
    }
    assert.ok(!/kepu_token|kepu_csrf/.test(seen.local + seen.session), 'old storage keys are back')

    // A page script with the cookie but without the CSRF header cannot change anything.
    const forged = await page.evaluate(async () => (await fetch('/api/v1/me', {
      method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: '被改' }),
    })).status)
    assert.equal(forged, 403)

    // Reload: still signed in, on the same page, with the user's name in the top bar.
    await page.goto(`${URL_BASE}/profile`)
    await page.reload()
    await page.locator('[data-test=side-menu]').waitFor(WAIT)
    assert.ok(page.url().endsWith('/profile'), `a reload went to ${page.url()}`)
    await page.locator('input[data-test=profile-name]').waitFor(WAIT)
    // A write after the reload (the CSRF token is fetched again): rename, and see it saved.
    const name = `渝北教务${Date.now() % 10000}`
    await page.fill('input[data-test=profile-name]', name)
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH')
    await page.click('[data-test=profile-save]')
    assert.equal((await saved).status(), 200)
    await page.locator('[data-test=user-menu]', { hasText: name }).waitFor(WAIT)
    const after = await readable(page)
    for (const s of secrets) assert.ok(!after.local.includes(s) && !after.session.includes(s), 'a secret is stored after the reload')

    // Logout (a POST with the CSRF header) ends the session on the server and in the browser.
    await page.click('[data-test=user-menu]')
    await page.click('[data-test=menu-logout]')
    await page.waitForURL(/\/login/, WAIT)
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status)
    assert.equal(me, 401)
    await page.goto(`${URL_BASE}/profile`)
    await page.waitForURL(/\/login/, WAIT)
  })
})
