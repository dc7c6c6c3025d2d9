// Volunteers (科技志愿者), teams (科技志愿服务队) and memberships (docs/api.md "Volunteers and
// teams"). Exports and the import template go through utils/download.js; numbers arrive masked,
// except from revealVolunteer (org_admin and above, audited).
import { http } from './http.js'
import { downloadFile, uploadFile } from '../utils/download.js'

export const listVolunteers = (params, opts) => http.get('/volunteers', params, opts)
export const getVolunteer = (id, opts) => http.get(`/volunteers/${id}`, undefined, opts)
export const createVolunteer = (body, opts) => http.post('/volunteers', body, opts)
export const updateVolunteer = (id, body, opts) => http.patch(`/volunteers/${id}`, body, opts)
export const deleteVolunteer = (id, opts) => http.del(`/volunteers/${id}`, opts)
export const revealVolunteer = (id, opts) => http.post(`/volunteers/${id}/reveal`, {}, opts)
export const exportVolunteers = (params) => downloadFile('/volunteers/export', params, '科技志愿者名册.xlsx')
export const volunteerTemplate = () => downloadFile('/volunteers/import/template.xlsx', undefined, '科技志愿者导入模板.xlsx')
export const importVolunteers = (orgId, commit, file, onProgress) =>
  uploadFile(`/volunteers/import?org_id=${orgId}&commit=${commit ? 1 : 0}`, file, { onProgress })

export const teamCategories = (opts) => http.get('/volunteer-team-categories', undefined, opts)
export const proposedTeamName = (orgId, category, opts) =>
  http.get('/volunteer-teams/proposed-name', { org_id: orgId, category }, opts)
export const listTeams = (params, opts) => http.get('/volunteer-teams', params, opts)
export const getTeam = (id, opts) => http.get(`/volunteer-teams/${id}`, undefined, opts)
export const createTeam = (body, opts) => http.post('/volunteer-teams', body, opts)
export const updateTeam = (id, body, opts) => http.patch(`/volunteer-teams/${id}`, body, opts)
export const dissolveTeam = (id, opts) => http.del(`/volunteer-teams/${id}`, opts)
export const exportTeams = (params) => downloadFile('/volunteer-teams/export', params, '科技志愿服务队.xlsx')

export const teamMembers = (id, status, opts) => http.get(`/volunteer-teams/${id}/members`, status ? { status } : undefined, opts)
export const joinTeam = (id, body, opts) => http.post(`/volunteer-teams/${id}/members`, body, opts)
export const decideMembership = (id, action, opts) => http.post(`/volunteer-memberships/${id}/${action}`, {}, opts)
export const setMemberRole = (id, role, opts) => http.patch(`/volunteer-memberships/${id}`, { role }, opts)
export const removeMember = (id, opts) => http.del(`/volunteer-memberships/${id}`, opts)

// The public registration page: no login.
export const registrationForm = (orgId) => http.get(`/public/volunteer-register/${orgId}`, undefined, { silent: true })
export const registerVolunteer = (body) => http.post('/public/volunteers', body, { silent: true })
