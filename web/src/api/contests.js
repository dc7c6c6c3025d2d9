// Contests (知识竞赛 and the literacy self-assessment, issue 17; docs/api.md "Contests", package B):
// the staff's routes through the session client, and the phone's public routes, which carry the
// phone's person key (X-Person-Key) or the attempt's token (X-Attempt-Token) in headers the JSON
// client does not send, through publicCall below.
import { http, BASE, ApiError, apiError, toQuery } from './http.js'
import { downloadFile } from '../utils/download.js'
import { lang } from '../i18n/index.js'

// --- staff (session) ---
export const listContests = (params, opts) => http.get('/contests', params, opts)
export const exportContests = (filters) => downloadFile('/contests', { ...filters, format: 'xlsx' }, '竞赛与自测.xlsx')
export const getContest = (id, opts) => http.get(`/contests/${id}`, undefined, opts)
export const createContest = (body, opts) => http.post('/contests', body, opts)
export const updateContest = (id, body, opts) => http.put(`/contests/${id}`, body, opts)
export const deleteContest = (id, opts) => http.del(`/contests/${id}`, opts)
export const publishContest = (id, opts) => http.post(`/contests/${id}/publish`, {}, opts)
export const closeContest = (id, opts) => http.post(`/contests/${id}/close`, {}, opts)
// the ranking by person is paged (the server names the page size `size`; page_size is sent too)
export const rankingPersons = (id, params, opts) => http.get(`/contests/${id}/ranking/persons`,
  { ...params, size: params?.page_size }, opts)
export const exportRankingPersons = (id) => downloadFile(`/contests/${id}/ranking/persons`, { format: 'xlsx' }, '个人排名.xlsx')
export const rankingDistricts = (id, opts) => http.get(`/contests/${id}/ranking/districts`, undefined, opts)
export const exportRankingDistricts = (id) => downloadFile(`/contests/${id}/ranking/districts`, { format: 'xlsx' }, '区县排名.xlsx')
export const contestAttempts = (id, params, opts) => http.get(`/contests/${id}/attempts`, params, opts)
export const issueCertificates = (id, opts) => http.post(`/contests/${id}/certificates`, {}, opts)
export const previewContest = (id, opts) => http.get(`/contests/${id}/preview`, undefined, opts)
// a staff member's own attempt (audience staff): the paper and its token, then the phone's paper page
export const startMyAttempt = (id, opts) => http.post(`/contests/${id}/my-attempts`, {}, opts)
// the bank's reviewed questions of one category and difficulty (package A's list; its total is
// what a rule may draw from, as far as the caller's scope sees)
export const bankCount = (category, difficulty) => http.get('/questions',
  { category, difficulty: difficulty || '', status: 'reviewed', page: 1, page_size: 1 }, { silent: true })
  .then((r) => r?.total ?? null).catch(() => null)

// --- the phone (public, no session) ---
// publicCall('PUT', path, { body, key, token }) resolves the JSON answer or throws an ApiError
// (status 0 for a network failure: the caller decides whether to retry). Messages are not shown
// here: the phone pages say them in their own place.
export async function publicCall(method, path, { body, key, token, query } = {}) {
  const headers = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (key) headers['X-Person-Key'] = key
  if (token) headers['X-Attempt-Token'] = token
  let res
  try {
    res = await fetch(`${BASE}/public${path}${toQuery(query)}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit',
    })
  } catch {
    throw new ApiError(0, 'network', lang.value === 'en' ? 'Network error' : '网络错误，请稍后重试')
  }
  const text = res.status === 204 ? '' : await res.text()
  let data = null
  if (text) { try { data = JSON.parse(text) } catch { data = null } }
  if (res.ok) return data
  const err = await apiError(res.status, data?.error || {}, `HTTP ${res.status}`)
  err.body = data?.error || {}
  throw err
}

export const publicContests = () => publicCall('GET', '/contests')
// with the key the phone holds (and its kind), the page says the attempts left to that person
export const publicContest = (id, key, kind) => publicCall('GET', `/contests/${id}`, { key, query: key ? { person_kind: kind } : undefined })
export const registerPlayer = (id, body) => publicCall('POST', `/contests/${id}/players`, { body })
export const startAttempt = (id, personKey, personKind) => publicCall('POST', `/contests/${id}/attempts`,
  { body: { person_key: personKey, person_kind: personKind }, key: personKey })
export const resumeAttempt = (id, aid, token) => publicCall('GET', `/contests/${id}/attempts/${aid}`, { token })
export const saveAnswer = (id, aid, no, answer, token) => publicCall('PUT', `/contests/${id}/attempts/${aid}/answers/${no}`,
  { body: { answer }, token })
export const submitAttempt = (id, aid, token) => publicCall('POST', `/contests/${id}/attempts/${aid}/submit`, { body: {}, token })
export const publicRanking = (id) => publicCall('GET', `/contests/${id}/ranking`)
export const verifyCertificate = (code) => publicCall('GET', `/contest-certificates/${encodeURIComponent(code)}`)
// The holder's certificate PDF (the token of the person's best attempt): a Blob, or an ApiError.
export async function certificatePdf(id, aid, token) {
  let res
  try {
    res = await fetch(`${BASE}/public/contests/${id}/attempts/${aid}/certificate`, { headers: { 'X-Attempt-Token': token }, credentials: 'omit' })
  } catch {
    throw new ApiError(0, 'network', lang.value === 'en' ? 'Network error' : '网络错误，请稍后重试')
  }
  if (res.ok) return res.blob()
  let e = {}
  try { e = (await res.json()).error || {} } catch { /* not JSON */ }
  throw await apiError(res.status, e, `HTTP ${res.status}`)
}
