// Activity register calls (docs/api.md "Activities"), with the attachments of an activity.
// Attachments travel as raw bytes, so they go through utils/download.js, not the JSON client.
import { http } from './http.js'
import { uploadFile, fetchBlob, downloadFile } from '../utils/download.js'

export const listActivities = (params, opts) => http.get('/activities', params, opts)
export const getActivity = (id, opts) => http.get(`/activities/${id}`, undefined, opts)
export const createActivity = (body, opts) => http.post('/activities', body, opts)
export const updateActivity = (id, body, opts) => http.patch(`/activities/${id}`, body, opts)
export const deleteActivity = (id, opts) => http.del(`/activities/${id}`, opts)
export const exportActivities = (filters, fallbackName) =>
  downloadFile('/activities/export.xlsx', filters, fallbackName)

export const listFiles = (activityId, opts) => http.get(`/activities/${activityId}/files`, undefined, opts)
export const uploadActivityFile = (activityId, file, opts) => uploadFile(`/activities/${activityId}/files`, file, opts)
export const deleteActivityFile = (activityId, fileId, opts) => http.del(`/activities/${activityId}/files/${fileId}`, opts)
export const fileBlob = (fileId, opts) => fetchBlob(`/files/${fileId}`, undefined, opts)
export const downloadActivityFile = (file) => downloadFile(`/files/${file.id}`, undefined, file.name)
