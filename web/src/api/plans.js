// Teaching plan calls (docs/api.md "Teaching plans and courses"): plans with their review
// workflow, completion of teaching tasks and the course category dictionary.
import { http } from './http.js'

export const listPlans = (params, opts) => http.get('/plans', params, opts)
export const getPlan = (id, opts) => http.get(`/plans/${id}`, undefined, opts)
export const createPlan = (body, opts) => http.post('/plans', body, opts)
export const updatePlan = (id, body, opts) => http.patch(`/plans/${id}`, body, opts)
export const deletePlan = (id, opts) => http.del(`/plans/${id}`, opts)
export const submitPlan = (id, opts) => http.post(`/plans/${id}/submit`, undefined, opts)
export const approvePlan = (id, opts) => http.post(`/plans/${id}/approve`, {}, opts)
export const returnPlan = (id, reason, opts) => http.post(`/plans/${id}/return`, { reason }, opts)
export const getCompletion = (params, opts) => http.get('/teaching/completion', params, opts)
export const listCategories = () => http.get('/teaching/categories', undefined, { silent: true })
