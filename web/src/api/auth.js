// Session and own-profile calls: login, logout, /me, password change.
import { http } from './http.js'

export const login = (username, password) =>
  http.post('/auth/login', { username, password }, { silent: true })
export const logout = () => http.post('/auth/logout', undefined, { silent: true })
export const getMe = (opts) => http.get('/me', undefined, opts)
export const updateMe = (body, opts) => http.patch('/me', body, opts)
export const changePassword = (oldPassword, newPassword, opts) =>
  http.post('/me/password', { old_password: oldPassword, new_password: newPassword }, opts)
