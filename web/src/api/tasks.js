// Work points and tasks (docs/api.md "Work points and tasks (工作要点、任务) — issue 16 C").
import { http } from './http.js'
import { downloadFile, uploadFile } from '../utils/download.js'

export const listPlans = (params) => http.get('/work-plans', params)
export const getPlan = (id) => http.get(`/work-plans/${id}`)
export const createPlan = (body, opts) => http.post('/work-plans', body, opts)
export const updatePlan = (id, body, opts) => http.patch(`/work-plans/${id}`, body, opts)
export const deletePlan = (id) => http.del(`/work-plans/${id}`)
export const publishPlan = (id) => http.post(`/work-plans/${id}/publish`)
export const reorderTasks = (id, ids) => http.post(`/work-plans/${id}/order`, { ids })
export const planPage = (id) => http.get(`/work-plans/${id}/page`)
export const exportPlanPage = (id) => downloadFile(`/work-plans/${id}/page.xlsx`, undefined, `work-plan-${id}.xlsx`)

export const listTasks = (params) => http.get('/tasks', params)
export const getTask = (id) => http.get(`/tasks/${id}`)
export const createTask = (body, opts) => http.post('/tasks', body, opts)
export const updateTask = (id, body, opts) => http.patch(`/tasks/${id}`, body, opts)
export const deleteTask = (id) => http.del(`/tasks/${id}`)
export const taskOverview = (year) => http.get('/tasks/overview', { year })

export const reportTask = (id, body, opts) => http.post(`/tasks/${id}/reports`, body, opts)
export const returnReport = (id, reason) => http.post(`/task-reports/${id}/return`, { reason })
export const acceptReport = (id) => http.post(`/task-reports/${id}/accept`, {})
export const uploadEvidence = (id, file) => uploadFile(`/task-reports/${id}/files`, file)
export const listEvidence = (id) => http.get(`/task-reports/${id}/files`)
