// File transfer with the session cookie, for what the JSON client (api/http.js) cannot do:
// downloads (Excel exports, attachments) are fetched as a blob and saved through a temporary
// <a download>; uploads send the raw file as the body (the server sniffs the type), with the
// CSRF header and the file name in X-File-Name.
import { ElMessage } from 'element-plus'
import { BASE, ApiError, apiError, clearSession, csrfHeaders, toQuery } from '../api/http.js'
import { lang } from '../i18n/index.js'

const FALLBACK = {
  0: ['网络错误，请稍后重试', 'Network error'],
  413: ['文件过大', 'File too large'],
  415: ['不支持的文件类型', 'Unsupported file type'],
}
function fallbackMessage(status) {
  const pair = FALLBACK[status]
  if (!pair) return `HTTP ${status}`
  return lang.value === 'en' ? pair[1] : pair[0]
}

// Turns a failed response into an ApiError (the body is the API's error JSON when there is
// one; a proxy or the HTTP layer may answer 413 with no body). A 401 means the session is gone:
// the whole app restarts on the login page, which also clears every cached store.
async function failure(res) {
  let e = {}
  try { e = (await res.json()).error || {} } catch { /* not JSON */ }
  if (res.status === 401) {
    clearSession()
    const back = location.pathname + location.search
    location.assign(`/login?redirect=${encodeURIComponent(back)}`)
  }
  return apiError(res.status, e, fallbackMessage(res.status))
}

function networkError() {
  return new ApiError(0, 'network', fallbackMessage(0))
}

// The file name from Content-Disposition: RFC 5987 `filename*=UTF-8''...` first (Chinese names),
// then a plain `filename="..."`; null when there is neither.
export function fileNameFrom(disposition) {
  if (!disposition) return null
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition)
  if (star) {
    try { return decodeURIComponent(star[2].trim().replace(/^"|"$/g, '')) } catch { /* fall through */ }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition)
  if (plain) return (plain[2] ?? plain[1]).trim()
  return null
}

// GET path (under /api/v1) as a Blob. Resolves { blob, name } where name comes from
// Content-Disposition (or null). Rejects with an ApiError; shows it unless `silent`.
export async function fetchBlob(path, query, { silent = false } = {}) {
  let res
  try {
    res = await fetch(BASE + path + toQuery(query || {}), { credentials: 'same-origin' })
  } catch {
    const err = networkError()
    if (!silent) ElMessage.error(err.message)
    throw err
  }
  if (!res.ok) {
    const err = await failure(res)
    if (!silent) ElMessage.error(err.message)
    throw err
  }
  return { blob: await res.blob(), name: fileNameFrom(res.headers.get('Content-Disposition')) }
}

// Saves a Blob under `name` in the browser's downloads.
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name || 'download'
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  // The click has handed the blob to the browser; revoking later keeps slow browsers happy.
  setTimeout(() => URL.revokeObjectURL(url), 30000)
}

// downloadFile('/activities/export.xlsx', filters, '活动登记.xlsx'): fetches with the token and
// saves under the server's file name, else `fallbackName`. Empty query values are left out.
// Rejects with an ApiError (already shown unless `silent`).
export async function downloadFile(path, query, fallbackName, opts = {}) {
  const { blob, name } = await fetchBlob(path, query, opts)
  saveBlob(blob, name || fallbackName)
}

// The API error of a failed XHR (the same shape and 401 handling as failure() for fetch); async
// because the message may need the catalog.
async function xhrFailure(xhr) {
  let e = {}
  try { e = JSON.parse(xhr.responseText).error || {} } catch { /* not JSON */ }
  if (xhr.status === 401) {
    clearSession()
    const back = location.pathname + location.search
    location.assign(`/login?redirect=${encodeURIComponent(back)}`)
  }
  return apiError(xhr.status, e, fallbackMessage(xhr.status))
}

// The upload through XMLHttpRequest, the only browser API that reports upload progress:
// onProgress({ phase: 'upload', loaded, total }) while the bytes go out, then
// onProgress({ phase: 'server' }) once they are all sent and the server is working.
function xhrUpload(url, headers, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.withCredentials = true   // same origin: the session cookie goes anyway
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v)
    xhr.upload.onprogress = (e) => {
      onProgress({ phase: 'upload', loaded: e.loaded, total: e.lengthComputable ? e.total : file.size })
    }
    xhr.upload.onload = () => onProgress({ phase: 'server' })
    xhr.onload = () => resolve(xhr)
    xhr.onerror = () => reject(networkError())
    xhr.onabort = () => reject(networkError())
    xhr.send(file)
  })
}

// uploadFile('/activities/12/files', file): POSTs the File's bytes as the raw body and resolves
// the server's JSON answer (the created record). Rejects with an ApiError (shown unless
// `silent`): 413 too large, 415 type not accepted, 422 with a field. With `onProgress` the upload
// goes through XHR and reports its progress (see xhrUpload); without it, through fetch.
export async function uploadFile(path, file, { silent = false, onProgress = null } = {}) {
  const headers = {
    ...(await csrfHeaders('POST')),
    Accept: 'application/json',
    'Content-Type': file.type || 'application/octet-stream',
    'X-File-Name': encodeURIComponent(file.name || 'file'),
  }
  if (onProgress) return uploadWithProgress(path, file, headers, silent, onProgress)
  let res
  try {
    res = await fetch(BASE + path, { method: 'POST', headers, body: file, credentials: 'same-origin' })
  } catch {
    const err = networkError()
    if (!silent) ElMessage.error(err.message)
    throw err
  }
  if (!res.ok) {
    const err = await failure(res)
    if (!silent) ElMessage.error(err.message)
    throw err
  }
  const text = res.status === 204 ? '' : await res.text()
  try { return text ? JSON.parse(text) : null } catch { return null }
}

async function uploadWithProgress(path, file, headers, silent, onProgress) {
  let xhr
  try {
    xhr = await xhrUpload(BASE + path, headers, file, onProgress)
  } catch (err) {
    if (!silent) ElMessage.error(err.message)
    throw err
  }
  if (xhr.status < 200 || xhr.status >= 300) {
    const err = await xhrFailure(xhr)
    if (!silent) ElMessage.error(err.message)
    throw err
  }
  try { return xhr.responseText ? JSON.parse(xhr.responseText) : null } catch { return null }
}
