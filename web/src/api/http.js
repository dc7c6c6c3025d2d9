// fetch wrapper for the Kepu API (base /api/v1).
// Sends the bearer token saved at login; turns {"error": {"code","message","field"}} into an
// ApiError, shows its message with ElMessage (unless the caller asks for silence), and sends the
// user to the login page on 401.
import { ElMessage } from 'element-plus'
import { lang } from '../i18n/index.js'

export const BASE = '/api/v1'
const TOKEN_KEY = 'kepu_token'
const CSRF_KEY = 'kepu_csrf'

export function getToken() { return localStorage.getItem(TOKEN_KEY) }

export function saveSession(token, csrf) {
  localStorage.setItem(TOKEN_KEY, token)
  if (csrf) localStorage.setItem(CSRF_KEY, csrf)
}

export function clearSession() {
  localStorage.removeItem(TOKEN_KEY)
  localStorage.removeItem(CSRF_KEY)
}

// The app installs what to do on 401 (clear the user, go to /login) so that this module
// does not depend on the router.
let onUnauthorized = () => { location.assign('/login') }
export function setUnauthorizedHandler(fn) { onUnauthorized = fn }

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message)
    this.status = status
    this.code = code
    this.field = field || null
  }
}

// Server messages are bilingual, "中文 / English": show the half that matches the UI language.
export function localize(message) {
  if (typeof message !== 'string') return ''
  const parts = message.split(' / ')
  if (parts.length !== 2) return message
  return lang.value === 'en' ? parts[1] : parts[0]
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

// request('GET', '/orgs', { query, body, silent })
export async function request(method, path, { query, body, silent = false } = {}) {
  const headers = { Accept: 'application/json' }
  const token = getToken()
  if (token) headers.Authorization = `Bearer ${token}`
  const csrf = localStorage.getItem(CSRF_KEY)
  if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf
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

  const e = data && data.error ? data.error : {}
  const err = new ApiError(res.status, e.code || `http_${res.status}`,
    localize(e.message) || `HTTP ${res.status}`, e.field)
  // A 401 on the login call itself is a wrong password, not an expired session.
  if (res.status === 401 && path !== '/auth/login') {
    clearSession()
    onUnauthorized()
  }
  if (!silent) ElMessage.error(err.message)
  throw err
}

export const http = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
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
