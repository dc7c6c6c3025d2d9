// Calls and reviews, the staff side (docs/api.md "Calls" and the three sections after it:
// review and ranking, results and titles, board and exports). The unit's entry form and the
// reviewer's own sheets have their wrappers in api/entries.js. Every function resolves the JSON
// answer; the downloads save the file through utils/download.js.
import { http, request } from './http.js'
import { downloadFile } from '../utils/download.js'

// templates and calls
export const listTemplates = (params) => http.get('/call-templates', { page_size: 100, ...params })
export const getTemplate = (id) => http.get(`/call-templates/${id}`)
export const listCalls = (params, opts) => http.get('/calls', params, opts)
export const getCall = (id, opts) => http.get(`/calls/${id}`, undefined, opts)
export const createCall = (body, opts) => http.post('/calls', body, opts)
export const updateCall = (id, body, opts) => http.patch(`/calls/${id}`, body, opts)
// action: open | close | cancel
export const callAction = (id, action, opts) => http.post(`/calls/${id}/${action}`, undefined, opts)
export const getQuotas = (id) => http.get(`/calls/${id}/quotas`)
export const putQuotas = (id, units, opts) => request('PUT', `/calls/${id}/quotas`, { ...opts, body: { units } })
export const exportCollected = (id) => downloadFile(`/calls/${id}/export.xlsx`, undefined, `call-${id}.xlsx`)

// entries as the levels above see them
export const listCallEntries = (id, params, opts) => http.get(`/calls/${id}/entries`, params, opts)
export const getEntry = (id) => http.get(`/entries/${id}`)
export const entryHistory = (id) => http.get(`/entries/${id}/history`)
// action: return ({reason}) | recommend | not-recommend | decide ({outcome, award_level, award_amount, reason})
export const entryAction = (id, action, body, opts) => http.post(`/entries/${id}/${action}`, body, opts)

// the progress board
export const getProgress = (id, params, opts) => http.get(`/calls/${id}/progress`, params, opts)
export const exportProgress = (id, params) => downloadFile(`/calls/${id}/progress/export.xlsx`, params, `progress-${id}.xlsx`)
export const sendReminders = (id, opts) => http.post(`/calls/${id}/reminders`, undefined, opts)

// review management (the API has no route to remove a reviewer or an assignment yet)
export const listReviewers = (id) => http.get(`/calls/${id}/reviewers`, { page_size: 100 })
export const addReviewer = (id, userId, opts) => http.post(`/calls/${id}/reviewers`, { user_id: userId }, opts)
export const listAssignments = (id, params) => http.get(`/calls/${id}/assignments`, params)
export const assign = (id, body, opts) => http.post(`/calls/${id}/assignments`, body, opts)
export const closeRound = (id, n = 1, opts) => http.post(`/calls/${id}/rounds/${n}/close`, undefined, opts)
export const reopenReview = (rid, reason, opts) => http.post(`/reviews/${rid}/reopen`, { reason }, opts)

// ranking, decisions, 公示, results
export const getRanking = (id, params) => http.get(`/calls/${id}/ranking`, params)
export const proposeAwards = (id, opts) => http.post(`/calls/${id}/awards/propose`, undefined, opts)
export const listDecisions = (id, params) => http.get(`/calls/${id}/decisions`, params)
export const getFunds = (id, opts) => http.get(`/calls/${id}/funds`, undefined, opts)
export const putBudget = (id, budget, opts) => request('PUT', `/calls/${id}/budget`, { ...opts, body: { budget } })
export const openPublicity = (id, body, opts) => http.post(`/calls/${id}/publicity`, body, opts)
export const listObjections = (id, params) => http.get(`/calls/${id}/objections`, params)
export const respondObjection = (oid, body, opts) => http.post(`/objections/${oid}/respond`, body, opts)
export const finalizeCall = (id, opts) => http.post(`/calls/${id}/finalize`, undefined, opts)
export const listCertificates = (id) => http.get(`/calls/${id}/certificates`)
export const certificatePdf = (cid) => downloadFile(`/award-certificates/${cid}/certificate.pdf`, undefined, `certificate-${cid}.pdf`)

// titles (designations)
export const listDesignations = (params, opts) => http.get('/designations', params, opts)
export const designationKinds = () => http.get('/designation-kinds')
export const orgTitles = (orgId, opts) => http.get(`/orgs/${orgId}/titles`, undefined, opts)
export const revokeDesignation = (id, reason, opts) => http.post(`/designations/${id}/revoke`, { reason }, opts)


// recert (K): re-certification of title holders (docs/api.md "Calls: re-certification")
export const getRecert = (id, opts) => http.get(`/calls/${id}/recert`, undefined, opts)
export const putRecert = (id, body, opts) => request('PUT', `/calls/${id}/recert`, { ...opts, body })
export const applyRecert = (id, opts) => http.post(`/calls/${id}/recert/apply`, undefined, opts)

// experts and reports (L): the expert pool (专家库), a call's reviewer from the pool, the
// follow-up reports of a funded entry and the performance rounds (docs/api.md, package H)
export const listExperts = (params, opts) => http.get('/experts', params, opts)
export const createExpert = (body, opts) => http.post('/experts', body, opts)
export const updateExpert = (id, body, opts) => http.patch(`/experts/${id}`, body, opts)
export const addPoolReviewer = (id, expertId, opts) => http.post(`/calls/${id}/reviewers`, { expert_id: expertId }, opts)
export const listReports = (entryId, opts) => http.get(`/entries/${entryId}/reports`, undefined, opts)
export const createReport = (entryId, body, opts) => http.post(`/entries/${entryId}/reports`, body, opts)
export const openRound = (id, body, opts) => http.post(`/calls/${id}/rounds`, body, opts)
