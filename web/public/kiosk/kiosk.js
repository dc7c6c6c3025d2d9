// The 科普e站 kiosk page (issue 18 D; API: docs/api.md "科普e站 screens"). Without a device token
// it shows a pairing code and polls until staff register it; with one it plays its playlist in a
// loop and reports a heartbeat with its plays. Offline it keeps playing: the service worker
// (sw.js) answers the page, the playlist and the files from its cache; plays wait in
// localStorage, each batch with the sequence number it was first sent with, so a retry after a
// drop is recognised by the server and counted once.
'use strict'
const KEY = { token: 'kepu.kiosk.token', seq: 'kepu.kiosk.seq', queue: 'kepu.kiosk.queue', plays: 'kepu.kiosk.plays' }
const $ = (id) => document.getElementById(id)
const params = new URLSearchParams(location.search)
let playlist = null

function store(k, v) { localStorage.setItem(k, JSON.stringify(v)) }
function load(k, d) { try { const v = JSON.parse(localStorage.getItem(k)); return v ?? d } catch { return d } }

function setStatus(online) {
  $('status').textContent = online ? '在线' : '离线播放中'
  $('status').className = online ? 'online' : 'offline'
}

async function api(method, path, body) {
  const headers = { 'Content-Type': 'application/json' }
  const token = localStorage.getItem(KEY.token)
  if (token) headers['X-Screen-Token'] = token
  return fetch('/api/v1' + path, { method, headers, body: body ? JSON.stringify(body) : undefined })
}

// The service worker reads the token from its cache to fetch files for <img> and <video>.
async function shareToken(token) {
  if (!('caches' in self)) return
  const c = await caches.open('kiosk-data-v1')
  await c.put('/kiosk/__token', new Response(token || ''))
}

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)) }

async function pair() {
  $('stage').hidden = true
  $('pair').hidden = false
  for (;;) {
    let got
    try {
      const res = await api('POST', '/kiosk/pairings')
      got = await res.json()
      if (!res.ok) { $('pair-note').textContent = got.message || '暂时无法获取配对码'; await sleep(30000); continue }
    } catch { $('pair-note').textContent = '网络未连接，稍后重试'; await sleep(5000); continue }
    $('code').textContent = got.code
    $('pair-note').textContent = '配对码 10 分钟内有效'
    const until = Date.now() + got.expires_in * 1000
    while (Date.now() < until) {
      await sleep(2000)
      try {
        const res = await api('POST', '/kiosk/pairings/claim', { code: got.code, secret: got.secret })
        if (res.status === 200) {
          const j = await res.json()
          localStorage.setItem(KEY.token, j.token)
          store(KEY.seq, 0), store(KEY.queue, []), store(KEY.plays, [])
          await shareToken(j.token)
          return
        }
        if (res.status === 404) break   // expired or gone: a new code
      } catch { /* offline: keep polling */ }
    }
  }
}

async function fetchPlaylist() {
  try {
    const res = await api('GET', '/kiosk/playlist')
    if (res.status === 401) return 'revoked'
    if (!res.ok) return null
    const p = await res.json()
    // the server's sequence wins when it is ahead (localStorage was cleared)
    if (p.last_seq > load(KEY.seq, 0)) store(KEY.seq, p.last_seq)
    $('screen-name').textContent = `${p.screen.org_name} · ${p.screen.name}`
    // the files fetched now, so they play offline later
    for (const it of p.items) if (it.url) fetch(`${it.url}?v=${it.version}`).catch(() => {})
    return p
  } catch { return null }
}

function el(tag, text, cls) {
  const e = document.createElement(tag)
  if (text != null) e.textContent = text
  if (cls) e.className = cls
  return e
}

// One item on the stage; every text goes in as text, never as HTML.
function render(it) {
  const stage = $('stage')
  stage.replaceChildren()
  const box = el('div', null, 'item')
  box.dataset.test = 'kiosk-item'
  box.dataset.kind = it.kind
  box.dataset.ref = it.ref_id ?? ''
  if (it.kind === 'resource' && /^image\//.test(it.mime)) {
    const img = el('img')
    img.alt = it.title
    img.src = `${it.url}?v=${it.version}`
    box.append(img)
  } else if (it.kind === 'resource' && /^(video|audio)\//.test(it.mime)) {
    const v = el(it.mime.startsWith('video') ? 'video' : 'audio')
    v.src = `${it.url}?v=${it.version}`
    v.autoplay = true
    v.muted = true
    box.append(v)
  } else if (it.kind === 'resource') {
    const card = el('div', null, 'card')
    card.append(el('h1', it.title), el('p', '请在科普e站网页或手机上查看该资料'))
    box.append(card)
  } else if (it.kind === 'notice') {
    const card = el('div', null, 'card')
    card.append(el('h1', it.title), el('div', it.body, 'body'))
    box.append(card)
  } else if (it.kind === 'courses') {
    const card = el('div', null, 'card')
    const table = el('table')
    const head = el('tr')
    head.append(el('th', '课程'), el('th', '时间'), el('th', '地点'))
    table.append(head)
    for (const c of it.courses) {
      const tr = el('tr')
      tr.append(el('td', c.title), el('td', (c.starts_at || '').slice(0, 16).replace('T', ' ')), el('td', c.place || ''))
      table.append(tr)
    }
    card.append(el('h1', it.title), it.courses.length ? table : el('p', '近期暂无课程'))
    box.append(card)
  } else if (it.kind === 'live') {
    const card = el('div', null, 'card')
    card.append(el('h1', '直播：' + it.title), el('p', it.stream_url))
    box.append(card)
  }
  stage.append(box)
}

function recordPlay(it) {
  const plays = load(KEY.plays, [])
  plays.push(it.ref_id ? { kind: it.kind, ref_id: it.ref_id } : { kind: it.kind })
  store(KEY.plays, plays.slice(-500))
}

// The plays since the last batch become a batch with the next sequence; the batches are sent in
// order, each until the server answers (a retry keeps its sequence).
let beating = false
async function heartbeat() {
  if (beating) return   // one at a time: the timer and the online event may both call
  beating = true
  try { await sendBeats() } finally { beating = false }
}

async function sendBeats() {
  const queue = load(KEY.queue, [])
  const plays = load(KEY.plays, [])
  if (plays.length || queue.length === 0) {
    const seq = load(KEY.seq, 0) + 1
    store(KEY.seq, seq)
    queue.push({ seq, plays })
    store(KEY.plays, [])
    store(KEY.queue, queue.slice(-100))
  }
  // The browser knows it has no network: keep the batches for the 'online' event rather than
  // try (a request sent now may also be held by the browser and land much later).
  if (navigator.onLine === false) { setStatus(false); return }
  while (queue.length) {
    try {
      const res = await api('POST', '/kiosk/heartbeat', queue[0])
      if (res.status === 401) { revoked(); return }
      if (!res.ok && res.status !== 422) throw new Error(String(res.status))
      queue.shift()
      store(KEY.queue, queue)
      setStatus(true)
    } catch {
      setStatus(false)
      return
    }
  }
}

function revoked() {
  localStorage.removeItem(KEY.token)
  location.reload()
}

async function play() {
  $('pair').hidden = true
  $('stage').hidden = false
  const seconds = Number(params.get('hb')) || null
  const p = await fetchPlaylist()
  if (p === 'revoked') { revoked(); return }
  playlist = p
  setStatus(!!p && navigator.onLine)
  setInterval(heartbeat, (seconds || playlist?.heartbeat_seconds || 30) * 1000)
  heartbeat()
  let refreshed = Date.now()
  for (;;) {
    if (Date.now() - refreshed > 60000) {
      const fresh = await fetchPlaylist()
      if (fresh === 'revoked') { revoked(); return }
      if (fresh) playlist = fresh
      refreshed = Date.now()
    }
    const items = playlist?.items || []
    if (!items.length) {
      const stage = $('stage')
      stage.replaceChildren(el('div', '暂无播放内容', 'card'))
      await sleep(5000)
      continue
    }
    for (const it of items) {
      render(it)
      recordPlay(it)
      // ?speed= shortens every item (a test's wait); a playlist's seconds otherwise
      await sleep(it.seconds * 1000 / (Number(params.get('speed')) || 1))
    }
  }
}

async function main() {
  if ('serviceWorker' in navigator) {
    await navigator.serviceWorker.register('/kiosk/sw.js', { scope: '/kiosk/' })
    await navigator.serviceWorker.ready
    // the files of <img> and <video> go through the worker (it adds the token): wait until it
    // controls this page (clients.claim() on its first activation)
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => {
        navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
        setTimeout(resolve, 3000)
      })
    }
  }
  if (!localStorage.getItem(KEY.token)) await pair()
  await shareToken(localStorage.getItem(KEY.token))
  window.addEventListener('online', heartbeat)
  await play()
}

main()
