// Organization tree calls (docs/api.md "Orgs").
import { http } from './http.js'
import { downloadFile, uploadFile } from '../utils/download.js'

export const listOrgs = (params) => http.get('/orgs', params)
export const getOrg = (id) => http.get(`/orgs/${id}`)
export const getForest = () => http.get('/orgs/tree')
export const getSubtree = (id) => http.get(`/orgs/${id}/tree`)
export const createOrg = (body, opts) => http.post('/orgs', body, opts)
export const updateOrg = (id, body, opts) => http.patch(`/orgs/${id}`, body, opts)
export const moveOrg = (id, parentId, opts) => http.patch(`/orgs/${id}`, { parent_id: parentId }, opts)
export const deleteOrg = (id, opts) => http.del(`/orgs/${id}`, opts)
// The Excel import (issue 14 item 14): rows go under orgId (or a parent they name inside it).
export const orgTemplate = () => downloadFile('/orgs/import/template.xlsx', undefined, '组织机构导入模板.xlsx')
export const importOrgs = (orgId, commit, file, onProgress) =>
  uploadFile(`/orgs/import?org_id=${orgId}&commit=${commit ? 1 : 0}`, file, { onProgress })
