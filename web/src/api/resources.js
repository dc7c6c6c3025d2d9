// Resource library calls (docs/api.md "Resources (资源库)"): the list with its filters, search and
// Excel export, CRUD, the review flow, versions (raw-byte uploads, downloads that answer Range),
// the courses using a resource, ratings and views.
import { http, BASE } from './http.js'
import { downloadFile, uploadFile } from '../utils/download.js'

export const listResources = (params, opts) => http.get('/resources', params, opts)
export const getResource = (id, opts) => http.get(`/resources/${id}`, undefined, opts)
export const createResource = (body, opts) => http.post('/resources', body, opts)
export const updateResource = (id, body, opts) => http.patch(`/resources/${id}`, body, opts)
export const deleteResource = (id, opts) => http.del(`/resources/${id}`, opts)
export const exportResources = (filters) => downloadFile('/resources', { ...filters, format: 'xlsx' }, '资源库.xlsx')

export const submitResource = (id, opts) => http.post(`/resources/${id}/submit`, undefined, opts)
export const withdrawResource = (id, opts) => http.post(`/resources/${id}/withdraw`, undefined, opts)
// decision: 'approve' | 'reject'; comments may be empty.
export const reviewResource = (id, decision, comments, opts) =>
  http.post(`/resources/${id}/review`, comments ? { decision, comments } : { decision }, opts)

export const listVersions = (id, opts) => http.get(`/resources/${id}/versions`, undefined, opts)
export const uploadVersion = (id, file, opts) => uploadFile(`/resources/${id}/versions`, file, opts)
// The address of a version's bytes: the session cookie goes with it, so <video>/<audio> play it
// straight from the server (which answers their Range requests with 206).
export const versionUrl = (id, vid) => `${BASE}/resources/${id}/versions/${vid}/file`
export const versionPath = (id, vid) => `/resources/${id}/versions/${vid}/file`

export const listUses = (id, opts) => http.get(`/resources/${id}/uses`, undefined, opts)
export const rateResource = (id, stars, opts) => http.put(`/resources/${id}/rating`, { stars }, opts)
export const myRating = (id, opts) => http.get(`/resources/${id}/rating`, undefined, opts)
export const countView = (id) => http.post(`/resources/${id}/views`, undefined, { silent: true })

// A course's resources (课程资源): what it links, linking and unlinking one the course's node reads.
export const listCourseResources = (courseId, opts) =>
  http.get('/resources', { used_by_course: courseId, page_size: 100 }, opts)
export const linkResource = (courseId, id, opts) => http.post(`/courses/${courseId}/resources/${id}`, undefined, opts)
export const unlinkResource = (courseId, id, opts) => http.del(`/courses/${courseId}/resources/${id}`, opts)
