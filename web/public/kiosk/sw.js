// The kiosk's service worker (issue 18 D): keeps the kiosk playing without network. The page
// itself and its script: network first, the cached copy offline (so a reload offline works). The
// playlist: network first, the last good answer offline. A resource's file: cached once (its URL
// carries the version, so a new version is a new entry), fetched with the device token the page
// stored in the cache (an <img> or <video> cannot send a header).
const SHELL = 'kiosk-shell-v1'
const DATA = 'kiosk-data-v1'
const SHELL_FILES = ['/kiosk/index.html', '/kiosk/kiosk.js', '/kiosk/kiosk.css']
const TOKEN_KEY = '/kiosk/__token'

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(SHELL).then((c) => c.addAll(SHELL_FILES)).then(() => self.skipWaiting()))
})
self.addEventListener('activate', (e) => { e.waitUntil(self.clients.claim()) })

async function token() {
  const r = await (await caches.open(DATA)).match(TOKEN_KEY)
  return r ? r.text() : ''
}

async function networkFirst(req, cacheName, key) {
  try {
    const res = await fetch(req)
    if (res.ok) await (await caches.open(cacheName)).put(key, res.clone())
    return res
  } catch (err) {
    const hit = await (await caches.open(cacheName)).match(key, { ignoreSearch: true })
    if (hit) return hit
    throw err
  }
}

async function resourceFile(url) {
  const cache = await caches.open(DATA)
  const hit = await cache.match(url)
  if (hit) return hit
  const res = await fetch(url, { headers: { 'X-Screen-Token': await token() } })
  if (res.ok) await cache.put(url, res.clone())
  return res
}

self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url)
  if (url.origin !== self.location.origin || e.request.method !== 'GET') return
  if (url.pathname.startsWith('/kiosk/')) {
    const key = url.pathname === '/kiosk/' ? '/kiosk/index.html' : url.pathname
    e.respondWith(networkFirst(e.request, SHELL, key))
  } else if (url.pathname === '/api/v1/kiosk/playlist') {
    e.respondWith(networkFirst(e.request, DATA, '/api/v1/kiosk/playlist'))
  } else if (/^\/api\/v1\/kiosk\/resources\/\d+\/file$/.test(url.pathname)) {
    e.respondWith(resourceFile(url.pathname + url.search))
  }
})
