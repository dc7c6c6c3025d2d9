// District assessment calls (docs/api.md "District assessment (考核) — issue 16 E").
import { http, request } from './http.js'
import { downloadFile } from '../utils/download.js'

export const listSources = () => http.get('/assessment-sources')
export const listAssessments = (params) => http.get('/assessments', params)
export const getAssessment = (id) => http.get(`/assessments/${id}`)
export const createAssessment = (body, opts) => http.post('/assessments', body, opts)
export const updateAssessment = (id, body, opts) => http.patch(`/assessments/${id}`, body, opts)
export const deleteAssessment = (id) => http.del(`/assessments/${id}`)
export const openAssessment = (id) => http.post(`/assessments/${id}/open`)
export const finalizeAssessment = (id) => http.post(`/assessments/${id}/finalize`)
export const getScores = (id) => http.get(`/assessments/${id}/scores`)
export const setManualScore = (id, body, opts) => request('PUT', `/assessments/${id}/manual-scores`, { ...opts, body })
export const exportXlsx = (id) => downloadFile(`/assessments/${id}/report.xlsx`, undefined, `assessment-${id}.xlsx`)
export const exportPdf = (id) => downloadFile(`/assessments/${id}/report.pdf`, undefined, `assessment-${id}.pdf`)
