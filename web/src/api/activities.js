// Activity register calls (docs/api.md "Activities"); attachments go through
// components/Attachments.vue.
import { http } from './http.js'
import { downloadFile, uploadFile } from '../utils/download.js'

export const listActivities = (params, opts) => http.get('/activities', params, opts)
export const getActivity = (id, opts) => http.get(`/activities/${id}`, undefined, opts)
export const createActivity = (body, opts) => http.post('/activities', body, opts)
export const updateActivity = (id, body, opts) => http.patch(`/activities/${id}`, body, opts)
export const deleteActivity = (id, opts) => http.del(`/activities/${id}`, opts)
export const exportActivities = (filters, fallbackName) =>
  downloadFile('/activities/export.xlsx', filters, fallbackName)

export const activityTemplate = () => downloadFile('/activities/import/template.xlsx', undefined, '活动登记导入模板.xlsx')
export const importActivities = (orgId, commit, file, onProgress) =>
  uploadFile(`/activities/import?org_id=${orgId}&commit=${commit ? 1 : 0}`, file, { onProgress })
