// Meetings (会议, issue 16 B; docs/api.md "Meetings (会议) — issue 16 B"): the organizer's
// meetings, publish / change / cancel, invited units and their quotas, participants, attendance.
import { http } from './http.js'
import { downloadFile } from '../utils/download.js'

export const listMeetings = (params, opts) => http.get('/meetings', params, opts)
export const getMeeting = (id, opts) => http.get(`/meetings/${id}`, undefined, opts)
export const createMeeting = (body, opts) => http.post('/meetings', body, opts)
export const updateMeeting = (id, body, opts) => http.patch(`/meetings/${id}`, body, opts)
export const deleteMeeting = (id, opts) => http.del(`/meetings/${id}`, opts)
export const publishMeeting = (id, opts) => http.post(`/meetings/${id}/publish`, {}, opts)
export const changeMeeting = (id, body, opts) => http.post(`/meetings/${id}/change`, body, opts)
export const cancelMeeting = (id, reason, opts) => http.post(`/meetings/${id}/cancel`, { reason }, opts)
export const meetingUnits = (id, opts) => http.get(`/meetings/${id}/units`, undefined, opts)
export const setUnitQuota = (id, orgId, quota, opts) => http.patch(`/meetings/${id}/units/${orgId}`, { quota }, opts)
export const meetingParticipants = (id, params, opts) => http.get(`/meetings/${id}/participants`, params, opts)
export const addParticipant = (id, body, opts) => http.post(`/meetings/${id}/participants`, body, opts)
export const updateParticipant = (id, body, opts) => http.patch(`/meeting-participants/${id}`, body, opts)
export const withdrawParticipant = (id, opts) => http.del(`/meeting-participants/${id}`, opts)
export const meetingAttendance = (id, opts) => http.get(`/meetings/${id}/attendance`, undefined, opts)
export const exportAttendance = (id) => downloadFile(`/meetings/${id}/attendance.xlsx`, undefined, '会议出勤.xlsx')
export const exportMeetings = (params) => downloadFile('/meetings/export', params, '会议.xlsx')
