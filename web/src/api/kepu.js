// The API calls the pages use, one function per endpoint (docs/api.md).
import { get, post, patch, del, query } from './http.js'

export const login = (username, password) => post('/auth/login', { username, password })
export const logout = () => post('/auth/logout')
export const me = () => get('/me')
export const updateMe = (b) => patch('/me', b)
export const changePassword = (old_password, new_password) => post('/me/password', { old_password, new_password })

export const orgForest = () => get('/orgs/tree')
export const listOrgs = (params) => get(`/orgs?${query(params)}`)
export const createOrg = (b) => post('/orgs', b)
export const updateOrg = (id, b) => patch(`/orgs/${id}`, b)
export const deleteOrg = (id) => del(`/orgs/${id}`)

export const listUsers = (params) => get(`/users?${query(params)}`)
export const createUser = (b) => post('/users', b)
export const updateUser = (id, b) => patch(`/users/${id}`, b)
export const resetPassword = (id, password) => post(`/users/${id}/password`, { password })

export const listAudit = (params) => get(`/audit?${query(params)}`)
export const listLogins = (params) => get(`/audit/logins?${query(params)}`)
