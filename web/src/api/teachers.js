// Teacher pool calls (docs/api.md "Teachers (师资库)"): records, the certification chain's steps,
// the teacher's page, the appointment letter (PDF through utils/download.js), the public
// verification of a letter, and the excellent-teacher selection.
import { http } from './http.js'
import { downloadFile, uploadFile } from '../utils/download.js'

export const listTeachers = (params, opts) => http.get('/teachers', params, opts)
export const getTeacher = (id, opts) => http.get(`/teachers/${id}`, undefined, opts)
export const getTeacherProfile = (id, opts) => http.get(`/teachers/${id}/profile`, undefined, opts)
export const createTeacher = (body, opts) => http.post('/teachers', body, opts)
export const updateTeacher = (id, body, opts) => http.patch(`/teachers/${id}`, body, opts)
export const retireTeacher = (id, opts) => http.del(`/teachers/${id}`, opts)
// action: propose | certify | return | file | city-pool
export const teacherStep = (id, action, body, opts) => http.post(`/teachers/${id}/${action}`, body, opts)
export const downloadLetter = (id, fallbackName) => downloadFile(`/teachers/${id}/letter.pdf`, undefined, fallbackName)
// The Excel import (issue 14 item 14): the template, then a dry run or the commit of a filled one.
export const teacherTemplate = () => downloadFile('/teachers/import/template.xlsx', undefined, '师资库导入模板.xlsx')
export const importTeachers = (orgId, commit, file, onProgress) =>
  uploadFile(`/teachers/import?org_id=${orgId}&commit=${commit ? 1 : 0}`, file, { onProgress })
export const verifyLetter = (code) => http.get(`/public/letters/${encodeURIComponent(code)}`, undefined, { silent: true })

export const listSelections = (params, opts) => http.get('/teacher-selections', params, opts)
export const nominateTeacher = (body, opts) => http.post('/teacher-selections', body, opts)
export const decideSelection = (id, body, opts) => http.post(`/teacher-selections/${id}/decide`, body, opts)
