// The unit's, the reviewer's and the public's side of calls (docs/api.md "Calls"): the calls a
// unit may enter, its entries (autosave, submit, withdraw, recommend), their evidence files, the
// reviewer's own score sheets, and the public results, 公示 with objections, titles and award
// certificates. The staff's side (designer, board, ranking, decisions) is api/calls.js.
import { http, request } from './http.js'

// calls
export const listCalls = (params, opts) => http.get('/calls', params, opts)
export const getCall = (id, opts) => http.get(`/calls/${id}`, undefined, opts)
export const getQuotas = (id, opts) => http.get(`/calls/${id}/quotas`, undefined, opts)

// entries
export const listEntries = (callId, params, opts) => http.get(`/calls/${callId}/entries`, params, opts)
export const createEntry = (callId, body, opts) => http.post(`/calls/${callId}/entries`, body, opts)
export const getEntry = (id, opts) => http.get(`/entries/${id}`, undefined, opts)
export const saveEntry = (id, body, opts) => http.patch(`/entries/${id}`, body, opts)
export const submitEntry = (id, opts) => http.post(`/entries/${id}/submit`, undefined, opts)
export const withdrawEntry = (id, opts) => http.post(`/entries/${id}/withdraw`, undefined, opts)
export const recommendEntry = (id, reason, opts) =>
  http.post(`/entries/${id}/recommend`, reason ? { reason } : undefined, opts)
export const notRecommendEntry = (id, reason, opts) => http.post(`/entries/${id}/not-recommend`, { reason }, opts)
export const entryHistory = (id, opts) => http.get(`/entries/${id}/history`, undefined, opts)
export const listEntryFiles = (id, opts) => http.get(`/entries/${id}/files`, undefined, opts)
export const entryFilePath = (id, fid) => `/entries/${id}/files/${fid}`

// the pools a person field picks from
export const searchTeachers = (q, opts) => http.get('/teachers', { q, page_size: 20 }, opts)
export const searchVolunteers = (q, opts) => http.get('/volunteers', { q, page_size: 20 }, opts)
// the premium selection's pool: approved resources of the library
export const searchResources = (q, opts) => http.get('/resources', { q, status: 'approved', page_size: 20 }, opts)

// the reviewer's own sheets
export const listReviews = (params, opts) => http.get('/reviews', params, opts)
export const getReview = (id, opts) => http.get(`/reviews/${id}`, undefined, opts)
export const saveReview = (id, body, opts) => request('PUT', `/reviews/${id}`, { ...opts, body })
export const submitReview = (id, body, opts) => http.post(`/reviews/${id}/submit`, body, opts)
// one of the sheet's evidence files, served to its own reviewer under its 附件N name
export const reviewFilePath = (id, fid) => `/reviews/${id}/files/${fid}`

// public (no login)
export const publicResults = (id, params, opts) => http.get(`/public/calls/${id}/results`, params, opts)
export const publicPublicity = (id, params, opts) => http.get(`/public/calls/${id}/publicity`, params, opts)
export const postObjection = (id, body, opts) => http.post(`/public/calls/${id}/objections`, body, opts)
export const publicDesignations = (params, opts) => http.get('/public/designations', params, opts)
export const verifyAward = (code, opts) => http.get(`/public/award-certificates/${code}`, undefined, opts)
