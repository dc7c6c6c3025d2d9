// fetch wrapper for the Kepu API (base /api/v1).
// The session lives in the kepu_session cookie the server sets at login (HttpOnly: no script,
// nor an injected one, can read it); the browser sends it on every same-origin request. The
// token of the login answer is never kept: nothing of the session is in localStorage or
// sessionStorage. Requests that change state carry the X-CSRF-Token header, whose value is held
// in memory only and fetched again from GET /auth/csrf after a reload.
// Turns {"error": {"code","message","field","message_key","params"}} into an ApiError whose
// message is the key's text in the UI language (api/messages.js; the server's own message when
// there is no key), shows it with ElMessage (unless the caller asks for silence), and sends the
// user to the login page on 401.
import { ElMessage } from 'element-plus'
import { lang } from '../i18n/index.js'
import { messageText, translateMessage } from './messages.js'

export const BASE = '/api/v1'

let csrfToken = null

// Earlier versions kept the bearer token and the CSRF token in localStorage, where any script
// on the page could read them: drop what they left behind.
try { localStorage.removeItem('kepu_token'); localStorage.removeItem('kepu_csrf') } catch { /* storage off */ }

// After login: the CSRF token of the new session (the cookie itself is the browser's).
export function saveSession(csrf) { csrfToken = csrf || null }

export function clearSession() { csrfToken = null }

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

// The CSRF header for a request that changes state: the token in memory, else the session's
// own from GET /auth/csrf (after a reload). {} when there is no session (the call then gets
// its 401 as before).
export async function csrfHeaders(method) {
  if (SAFE.has(method)) return {}
  if (!csrfToken) {
    try {
      const res = await fetch(`${BASE}/auth/csrf`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      if (res.ok) csrfToken = (await res.json()).csrf_token || null
    } catch { /* the request itself will report the network error */ }
  }
  return csrfToken ? { 'X-CSRF-Token': csrfToken } : {}
}

// The app installs what to do on 401 (clear the user, go to /login) so that this module
// does not depend on the router.
let onUnauthorized = () => { location.assign('/login') }
export function setUnauthorizedHandler(fn) { onUnauthorized = fn }

export class ApiError extends Error {
  constructor(status, code, message, field, key = null, params = null) {
    super(message)
    this.status = status
    this.code = code
    this.field = field || null
    this.key = key || null
    this.params = params || null
  }
}

// The ApiError of an error reply's body `e` ({code, message, field, message_key, params}, or {}),
// its message translated by key; `fallback` when the reply has no text at all. `probe`: the
// session check on every page load, whose 401 nobody reads, so it does not fetch the catalog (its
// message comes from what the catalog holds already).
export async function apiError(status, e, fallback, probe = false) {
  const message = (probe ? messageText(e) : await translateMessage(e)) || fallback
  return new ApiError(status, e.code || `http_${status}`, message, e.field, e.message_key, e.params)
}

// Query string from an object, leaving out empty values.
export function toQuery(params = {}) {
  const q = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value === '' || value === null || value === undefined) continue
    q.append(key, String(value))
  }
  const s = q.toString()
  return s ? `?${s}` : ''
}

// request('GET', '/orgs', { query, body, silent, quiet401 }): quiet401 leaves a 401 to the
// caller (the session check after a reload) instead of going to the login page.
export async function request(method, path, { query, body, silent = false, quiet401 = false } = {}) {
  // The login call has no session yet (a leftover CSRF token of an old one means nothing); the
  // public pages (phones checking in) have none at all.
  const sessionless = path === '/auth/login' || path.startsWith('/public/')
  const headers = { Accept: 'application/json', ...(sessionless ? {} : await csrfHeaders(method)) }
  if (body !== undefined) headers['Content-Type'] = 'application/json'

  let res
  try {
    res = await fetch(BASE + path + toQuery(query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    })
  } catch (e) {
    const err = new ApiError(0, 'network', lang.value === 'en' ? 'Network error' : '网络错误，请稍后重试')
    if (!silent) ElMessage.error(err.message)
    throw err
  }

  const text = res.status === 204 ? '' : await res.text()
  let data = null
  if (text) { try { data = JSON.parse(text) } catch { data = null } }
  if (res.ok) return data

  const probe = silent && quiet401 && res.status === 401
  const err = await apiError(res.status, data && data.error ? data.error : {}, `HTTP ${res.status}`, probe)
  // A 401 on the login call itself is a wrong password, not an expired session.
  if (res.status === 401 && path !== '/auth/login') {
    clearSession()
    if (!quiet401) onUnauthorized()
  }
  // A CSRF token that no longer matches (another tab logged in again): forget it, so that the
  // next change fetches the session's current one.
  if (res.status === 403 && err.code === 'csrf_required') clearSession()
  if (!silent) ElMessage.error(err.message)
  throw err
}

export const http = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
}

// Puts an ApiError with a field onto a form's error map when the form shows that field;
// otherwise shows the message. Returns nothing; forms call it in their catch.
export function showFormError(err, errors, fields) {
  if (err && err.field && fields.includes(err.field)) {
    errors[err.field] = err.message
  } else if (err && err.message) {
    ElMessage.error(err.message)
  }
}
