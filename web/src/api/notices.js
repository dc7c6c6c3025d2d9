// Notices (通知公告, docs/api.md "Notices (通知公告) — issue 16 A"): the sent list and the inbox,
// compose and publish, the receipt board with its chase and Excel, a unit's reply, the public pages.
import { http, request } from './http.js'
import { downloadFile } from '../utils/download.js'

export const listNotices = (params, opts) => http.get('/notices', params, opts)
export const getNotice = (id, opts) => http.get(`/notices/${id}`, undefined, opts)
export const createNotice = (body, opts) => http.post('/notices', body, opts)
export const updateNotice = (id, body, opts) => http.patch(`/notices/${id}`, body, opts)
export const publishNotice = (id, publishAt, opts) =>
  http.post(`/notices/${id}/publish`, publishAt ? { publish_at: publishAt } : undefined, opts)
export const withdrawNotice = (id, reason, opts) => http.post(`/notices/${id}/withdraw`, { reason }, opts)
export const correctNotice = (id, body, opts) => http.post(`/notices/${id}/correction`, body, opts)
export const reopenNotice = (id, deadline, opts) => http.post(`/notices/${id}/reopen`, { reply_deadline: deadline }, opts)
export const getReceipts = (id, params, opts) => http.get(`/notices/${id}/receipts`, params, opts)
export const chaseNotice = (id, who, channels, opts) => http.post(`/notices/${id}/chase`, { who, channels }, opts)
export const replyNotice = (id, body, opts) => request('PUT', `/notices/${id}/reply`, { ...opts, body })
export const exportReplies = (id) => downloadFile(`/notices/${id}/replies.xlsx`, undefined, `回执-${id}.xlsx`)
export const publicNotices = (params, opts) => http.get('/public/notices', params, opts)
export const publicNotice = (id, opts) => http.get(`/public/notices/${id}`, undefined, opts)
