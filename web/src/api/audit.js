// Audit trail and login log calls (docs/api.md "Audit").
import { http } from './http.js'

export const listAudit = (params) => http.get('/audit', params)
export const listLogins = (params) => http.get('/audit/logins', params)
