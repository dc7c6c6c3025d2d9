// Students, check-in sessions and course attendance (docs/api.md "Students and check-in").
// The QR code comes as an SVG blob (it needs the session), exports through utils/download.js.
import { http } from './http.js'
import { fetchBlob, downloadFile, uploadFile } from '../utils/download.js'

export const listStudents = (params, opts) => http.get('/students', params, opts)
export const getStudent = (id, opts) => http.get(`/students/${id}`, undefined, opts)
export const createStudent = (body, opts) => http.post('/students', body, opts)
export const updateStudent = (id, body, opts) => http.patch(`/students/${id}`, body, opts)
export const deleteStudent = (id, opts) => http.del(`/students/${id}`, opts)
export const studentAttendance = (id, opts) => http.get(`/students/${id}/attendance`, undefined, opts)
export const exportStudents = (params) => downloadFile('/students/export', params, '学员名册.xlsx')
export const studentTemplate = () => downloadFile('/students/import/template.xlsx', undefined, '学员导入模板.xlsx')
export const importStudents = (orgId, commit, file, onProgress) =>
  uploadFile(`/students/import?org_id=${orgId}&commit=${commit ? 1 : 0}`, file, { onProgress })

export const openCheckin = (kind, ownerId, opts) => http.post('/checkin/sessions', { kind, owner_id: ownerId }, opts)
export const closeCheckin = (id, opts) => http.post(`/checkin/sessions/${id}/close`, {}, opts)
export const checkinToken = (id, opts) => http.get(`/checkin/sessions/${id}/token`, undefined, opts)
export const checkinQr = (id, token) => fetchBlob(`/checkin/sessions/${id}/qr.svg`, { token }, { silent: true })

export const courseAttendance = (id, opts) => http.get(`/courses/${id}/attendance`, undefined, opts)
export const markAttendance = (id, studentIds, opts) => http.post(`/courses/${id}/attendance`, { student_ids: studentIds }, opts)
export const unmarkAttendance = (id, studentId, opts) => http.del(`/courses/${id}/attendance/${studentId}`, opts)

// The phone's side: no login.
export const publicCheckinView = (session, token) => http.get(`/public/checkin/${session}/${token}`, undefined, { silent: true })
export const publicCheckin = (session, body) => http.post(`/public/checkin/${session}`, body, { silent: true })
