// Report form calls (docs/api.md "Report forms (定期报表)"): forms, a unit's report per period,
// submission and return, and the completeness of a period.
import { http } from './http.js'

export const listForms = (params) => http.get('/forms', params)
export const getForm = (id) => http.get(`/forms/${id}`)
export const createForm = (body, opts) => http.post('/forms', body, opts)
export const listReports = (id, params, opts) => http.get(`/forms/${id}/reports`, params, opts)
export const saveReport = (id, body, opts) => http.post(`/forms/${id}/reports`, body, opts)
export const returnReport = (id, sid, reason, opts) =>
  http.post(`/forms/${id}/reports/${sid}/return`, { reason }, opts)
export const getCompleteness = (id, period, opts) => http.get(`/forms/${id}/completeness`, { period }, opts)
