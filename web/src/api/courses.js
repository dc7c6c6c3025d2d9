// Course calls (docs/api.md "Teaching plans and courses"), with the photos of a course's record.
// Files travel as raw bytes, so they go through utils/download.js, not the JSON client.
import { http } from './http.js'
import { uploadFile, fetchBlob, downloadFile } from '../utils/download.js'

export const listCourses = (params, opts) => http.get('/courses', params, opts)
export const getCourse = (id, opts) => http.get(`/courses/${id}`, undefined, opts)
export const createCourse = (body, opts) => http.post('/courses', body, opts)
export const updateCourse = (id, body, opts) => http.patch(`/courses/${id}`, body, opts)
export const deleteCourse = (id, opts) => http.del(`/courses/${id}`, opts)
export const holdCourse = (id, body, opts) => http.post(`/courses/${id}/hold`, body, opts)
export const cancelCourse = (id, reason, opts) => http.post(`/courses/${id}/cancel`, reason ? { reason } : {}, opts)

export const listCourseFiles = (id, opts) => http.get(`/courses/${id}/files`, undefined, opts)
export const uploadCourseFile = (id, file, opts) => uploadFile(`/courses/${id}/files`, file, opts)
export const deleteCourseFile = (id, fid, opts) => http.del(`/courses/${id}/files/${fid}`, opts)
export const courseFileBlob = (id, fid, opts) => fetchBlob(`/courses/${id}/files/${fid}`, undefined, opts)
export const downloadCourseFile = (id, file) => downloadFile(`/courses/${id}/files/${file.id}`, undefined, file.name)
