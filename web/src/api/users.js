// User account calls (docs/api.md "Users").
import { http } from './http.js'

export const listUsers = (params) => http.get('/users', params)
export const getUser = (id) => http.get(`/users/${id}`)
export const createUser = (body, opts) => http.post('/users', body, opts)
export const updateUser = (id, body, opts) => http.patch(`/users/${id}`, body, opts)
export const setUserActive = (id, active) => http.patch(`/users/${id}`, { active })
export const resetUserPassword = (id, password, opts) =>
  http.post(`/users/${id}/password`, { password }, opts)
