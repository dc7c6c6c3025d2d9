// Course calls (docs/api.md "Teaching plans and courses"); a course's photos go through
// components/Attachments.vue.
import { http } from './http.js'
import { downloadFile } from '../utils/download.js'

export const listCourses = (params, opts) => http.get('/courses', params, opts)
export const getCourse = (id, opts) => http.get(`/courses/${id}`, undefined, opts)
export const createCourse = (body, opts) => http.post('/courses', body, opts)
export const updateCourse = (id, body, opts) => http.patch(`/courses/${id}`, body, opts)
export const deleteCourse = (id, opts) => http.del(`/courses/${id}`, opts)
export const holdCourse = (id, body, opts) => http.post(`/courses/${id}/hold`, body, opts)
export const cancelCourse = (id, reason, opts) => http.post(`/courses/${id}/cancel`, reason ? { reason } : {}, opts)

// issue 18 C: the enrolments made on the public portal (phones masked)
export const listEnrolments = (id, params, opts) => http.get(`/courses/${id}/enrolments`, params, opts)
export const exportEnrolments = (id) => downloadFile(`/courses/${id}/enrolments`, { format: 'xlsx' }, '报名名单.xlsx')
