// Volunteer projects (志愿项目), sign-up, check-in hours, certificates and the quarterly duty
// (docs/api.md "Volunteer projects, sign-up, hours"). Staff calls go through http.js; the phone's
// calls carry its volunteer key in the X-Volunteer-Key header (never in a URL), kept in
// localStorage under kepu_volunteer as { key, name, volunteer_no }.
import { http, BASE, ApiError, apiError, toQuery, request as raw } from './http.js'
import { downloadFile, saveBlob } from '../utils/download.js'

export const listProjects = (params, opts) => http.get('/volunteer-projects', params, opts)
export const getProject = (id, opts) => http.get(`/volunteer-projects/${id}`, undefined, opts)
export const createProject = (body, opts) => http.post('/volunteer-projects', body, opts)
export const updateProject = (id, body, opts) => http.patch(`/volunteer-projects/${id}`, body, opts)
export const projectSignups = (id, opts) => http.get(`/volunteer-projects/${id}/signups`, undefined, opts)
export const staffSignup = (id, body, opts) => http.post(`/volunteer-projects/${id}/signups`, body, opts)
export const decideSignup = (id, action, opts) => http.post(`/volunteer-signups/${id}/${action}`, {}, opts)
export const markPresence = (id, body, opts) => request('PUT', `/volunteer-signups/${id}/attendance`, body, opts)
export const confirmHours = (id, opts) => http.post(`/volunteer-projects/${id}/confirm-hours`, {}, opts)
export const correctHours = (id, body, opts) => http.patch(`/volunteer-signups/${id}/hours`, body, opts)
export const reminders = (hours, opts) => http.get('/volunteer-reminders', { hours }, opts)
export const serviceRecord = (id, opts) => http.get(`/volunteers/${id}/service`, undefined, opts)
export const certificates = (id, opts) => http.get(`/volunteers/${id}/certificates`, undefined, opts)
export const issueCertificate = (id, year, opts) => http.post(`/volunteers/${id}/certificates`, year ? { year } : {}, opts)
export const certificatePdf = (id, no) => downloadFile(`/volunteer-certificates/${id}/pdf`, undefined, `${no}.pdf`)
export const duty = (params, opts) => http.get('/volunteer-duty', params, opts)
export const exportHours = (params) => downloadFile('/volunteer-hours/export', params, '志愿服务时长.xlsx')
export const verifyCertificate = (code) => http.get(`/public/volunteer-certificates/${code}`, undefined, { silent: true })

// PUT is not in http.js's shorthand: the same request() underneath.
function request(method, path, body, opts) { return raw(method, path, { ...opts, body }) }

// ---- the phone (no login) ----
const KEY = 'kepu_volunteer'
export function phoneIdentity() { return JSON.parse(localStorage.getItem(KEY) || 'null') }
export function savePhoneIdentity(v) { localStorage.setItem(KEY, JSON.stringify(v)) }
export function forgetPhoneIdentity() { localStorage.removeItem(KEY) }

async function phone(method, path, body, query) {
  const headers = { Accept: 'application/json' }
  const me = phoneIdentity()
  if (me?.key) headers['X-Volunteer-Key'] = me.key
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  let res
  try {
    res = await fetch(BASE + path + toQuery(query || {}), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch { throw new ApiError(0, 'network', '网络错误 / Network error') }
  if (path.endsWith('.pdf') && res.ok) return res.blob()
  const text = await res.text()
  let data = null
  try { data = text ? JSON.parse(text) : null } catch { data = null }
  if (res.ok) return data
  const e = data?.error || {}
  throw await apiError(res.status, e, `HTTP ${res.status}`)
}

export const findMe = (body) => phone('POST', '/public/volunteer/find', body)
export const sendFindCode = (number) => phone('POST', '/public/volunteer/find/code', { phone: number })
export const phoneProjects = () => phone('GET', '/public/volunteer/projects')
export const phoneSignups = () => phone('GET', '/public/volunteer/signups')
export const phoneSignup = (projectId, positionId) => phone('POST', '/public/volunteer/signups', { project_id: projectId, position_id: positionId })
export const phoneCancel = (id) => phone('POST', `/public/volunteer/signups/${id}/cancel`)
export const phoneReminders = () => phone('GET', '/public/volunteer/reminders')
export const phoneService = () => phone('GET', '/public/volunteer/service')
export async function phoneCertificate() {
  const blob = await phone('GET', '/public/volunteer/certificate.pdf')
  saveBlob(blob, '志愿服务时长证明.pdf')
}
