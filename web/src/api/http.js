// fetch wrapper for /api/v1: bearer token from localStorage, errors shown from the API's
// {"error": {"code", "message", "field"}} shape; 401 sends the user to the login page.
import { ElMessage } from 'element-plus'

export function token() { return localStorage.getItem('kepu_token') }

export async function request(method, path, body) {
  const headers = { 'Content-Type': 'application/json' }
  if (token()) headers.Authorization = `Bearer ${token()}`
  const res = await fetch(`/api/v1${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined })
  const data = res.status === 204 ? null : await res.json().catch(() => null)
  if (res.ok) return data
  if (res.status === 401 && path !== '/auth/login') {
    localStorage.removeItem('kepu_token')
    location.hash = ''
    location.pathname !== '/login' && location.assign('/login')
  }
  const err = new Error(data?.error?.message || `HTTP ${res.status}`)
  err.status = res.status
  err.field = data?.error?.field
  ElMessage.error(err.message)
  throw err
}

export const get = (p) => request('GET', p)
export const post = (p, b) => request('POST', p, b)
export const patch = (p, b) => request('PATCH', p, b)
export const del = (p) => request('DELETE', p)
export const query = (params) =>
  new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null)).toString()
