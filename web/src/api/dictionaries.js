// Dictionary calls: activity kinds (活动类型), audiences (受众) and named statistics windows
// (统计时段 such as 科技活动周); see docs/api.md.
import { http } from './http.js'

export const listKinds = (opts) => http.get('/activity-kinds', undefined, opts)
export const createKind = (body, opts) => http.post('/activity-kinds', body, opts)
export const updateKind = (code, body, opts) => http.patch(`/activity-kinds/${encodeURIComponent(code)}`, body, opts)

export const listAudiences = (opts) => http.get('/activity-audiences', undefined, opts)

export const listWindows = (params, opts) => http.get('/stat-windows', params, opts)
export const createWindow = (body, opts) => http.post('/stat-windows', body, opts)
export const updateWindow = (id, body, opts) => http.patch(`/stat-windows/${id}`, body, opts)
export const deleteWindow = (id, opts) => http.del(`/stat-windows/${id}`, opts)
