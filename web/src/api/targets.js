// Target calls (docs/api.md "Targets (目标任务)") and the dictionaries the targets page needs to
// name metrics and periods (activity kinds, audiences, named statistics windows).
import { http } from './http.js'

export const listTargets = (params) => http.get('/targets', params)
export const getTarget = (id) => http.get(`/targets/${id}`)
export const createTarget = (body, opts) => http.post('/targets', body, opts)
export const updateTarget = (id, body, opts) => http.patch(`/targets/${id}`, body, opts)
export const deleteTarget = (id) => http.del(`/targets/${id}`)
export const getTargetProgress = (id, params, opts) => http.get(`/targets/${id}/progress`, params, opts)

// Dictionaries: silent, because a page still works (with raw codes) when one cannot be loaded.
export const listActivityKinds = () => http.get('/activity-kinds', undefined, { silent: true })
export const listAudiences = () => http.get('/activity-audiences', undefined, { silent: true })
export const listTitleKinds = () => http.get('/designation-kinds', { page_size: 100 }, { silent: true })
export const listCallTemplates = () => http.get('/call-templates', { page_size: 100 }, { silent: true })
export const listStatWindows = (year) => http.get('/stat-windows', { year }, { silent: true })
