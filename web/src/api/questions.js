// The question bank (题库, issue 17 A; docs/api.md "Question bank (题库) — issue 17 A"): the list
// with its filters and export, one question, create / edit (a new version when the content
// changes), delete, review, retire, versions, and the Excel import.
import { http } from './http.js'
import { downloadFile, uploadFile } from '../utils/download.js'

export const listQuestions = (params, opts) => http.get('/questions', params, opts)
export const getQuestion = (id, opts) => http.get(`/questions/${id}`, undefined, opts)
export const createQuestion = (body, opts) => http.post('/questions', body, opts)
export const updateQuestion = (id, body, opts) => http.patch(`/questions/${id}`, body, opts)
export const deleteQuestion = (id, opts) => http.del(`/questions/${id}`, opts)
export const reviewQuestion = (id, opts) => http.post(`/questions/${id}/review`, {}, opts)
export const retireQuestion = (id, opts) => http.post(`/questions/${id}/retire`, {}, opts)
export const questionVersions = (id, opts) => http.get(`/questions/${id}/versions`, undefined, opts)
export const exportQuestions = (params) => downloadFile('/questions', { ...params, format: 'xlsx' }, '题库.xlsx')
export const questionTemplate = () => downloadFile('/questions/import/template.xlsx', undefined, '题库导入模板.xlsx')
export const importQuestions = (orgId, commit, file, onProgress) =>
  uploadFile(`/questions/import?org_id=${orgId}&commit=${commit ? 1 : 0}`, file, { onProgress })
