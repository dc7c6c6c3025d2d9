// 科普e站 screens (issue 18 D; docs/api.md "科普e站 screens"): screens paired by a code, their
// playlists (per screen or per node type) and their administrators.
import { http } from './http.js'
import { downloadFile } from '../utils/download.js'

export const listScreens = (params, opts) => http.get('/screens', params, opts)
export const exportScreens = (params) => downloadFile('/screens', { ...params, format: 'xlsx' }, '科普e站屏幕.xlsx')
export const pairScreen = (body, opts) => http.post('/screens/pair', body, opts)
export const updateScreen = (id, body, opts) => http.patch(`/screens/${id}`, body, opts)
export const revokeScreen = (id, opts) => http.post(`/screens/${id}/revoke`, undefined, opts)

export const listPlaylists = (params, opts) => http.get('/playlists', params, opts)
export const createPlaylist = (body, opts) => http.post('/playlists', body, opts)
export const updatePlaylist = (id, body, opts) => http.patch(`/playlists/${id}`, body, opts)
export const deletePlaylist = (id, opts) => http.del(`/playlists/${id}`, opts)

export const listScreenAdmins = (params, opts) => http.get('/screen-admins', params, opts)
export const createScreenAdmin = (body, opts) => http.post('/screen-admins', body, opts)
export const updateScreenAdmin = (id, body, opts) => http.patch(`/screen-admins/${id}`, body, opts)
export const deleteScreenAdmin = (id, opts) => http.del(`/screen-admins/${id}`, opts)

// Resources a playlist may name (the caller's own side and those shared to it), by title.
export const searchResources = (q, opts) => http.get('/resources', { q: q || undefined, page_size: 20 }, opts)
