// Literacy surveys (科学素质调查, issue 17 C; docs/api.md "Literacy surveys"): the rows per year,
// node and population group, their import and export, and the groups' dictionary. The rates are
// statistics: getStats({ metrics: 'literacy_rate' }) and its group forms (api/stats.js).
import { http } from './http.js'
import { downloadFile, uploadFile } from '../utils/download.js'

export const listSurveys = (params, opts) => http.get('/literacy/surveys', params, opts)
export const getSurvey = (id, opts) => http.get(`/literacy/surveys/${id}`, undefined, opts)
export const createSurvey = (body, opts) => http.post('/literacy/surveys', body, opts)
export const updateSurvey = (id, body, opts) => http.patch(`/literacy/surveys/${id}`, body, opts)
export const deleteSurvey = (id, opts) => http.del(`/literacy/surveys/${id}`, opts)
export const exportSurveys = (params) => downloadFile('/literacy/surveys/export', params, '科学素质调查.xlsx')
export const surveyTemplate = () => downloadFile('/literacy/surveys/import/template.xlsx', undefined, '科学素质调查导入模板.xlsx')
export const importSurveys = (orgId, commit, file, onProgress) =>
  uploadFile(`/literacy/surveys/import?org_id=${orgId}&commit=${commit ? 1 : 0}`, file, { onProgress })

let groups = null
// [{ group_dim, group_value, dim_label, label }], cached per page load.
export function literacyGroups() {
  if (!groups) {
    groups = http.get('/literacy/groups', undefined, { silent: true }).then((r) => r.items || [])
    groups.catch(() => { groups = null })
  }
  return groups
}
