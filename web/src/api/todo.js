// The to-do home, the menu's badges, the bell and the reminder settings (docs/api.md "To-do and
// notifications (待办、提醒)").
import { http } from './http.js'

export const getTodo = (params, opts) => http.get('/todo', params, opts)
export const getTodoCounts = (opts) => http.get('/todo/counts', undefined, opts)
export const listNotifications = (params, opts) => http.get('/notifications', params, opts)
export const readNotification = (id) => http.post(`/notifications/${id}/read`)
export const readAllNotifications = () => http.post('/notifications/read-all')
export const getNotifyPrefs = () => http.get('/me/notify-prefs')
export const putNotifyPrefs = (body) => http.put('/me/notify-prefs', body)
