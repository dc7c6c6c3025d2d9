// Statistics calls the dashboard uses (docs/api.md "Statistics", "Targets", "Report forms", plus
// stat windows, series, kinds and audiences). Dictionaries that rarely change are cached per page load.
import { http } from './http.js'

// Totals of a node and its subtree for a period: { values: { metric: n } }.
export const getStats = (params, opts) => http.get('/stats', params, opts)
// What each figure is made of: { total, sources: [{ source, values }] }, each part from its records.
export const getStatSources = (params, opts) => http.get('/stats/sources', params, opts)
// One row per direct child in scope.
export const getChildStats = (params, opts) => http.get('/stats/children', params, opts)
// The trend: one zero-filled item per bucket (grain month|week|day|quarter|year) of the period.
export const getSeries = (params, opts) => http.get('/stats/series', params, opts)

// Named windows (科技活动周 ...) of a year, each with its ready `period` string.
const windowCache = new Map()
export function listStatWindows(year) {
  if (!windowCache.has(year)) {
    const p = http.get('/stat-windows', { year }, { silent: true }).then((r) => r.items || [])
    p.catch(() => windowCache.delete(year))
    windowCache.set(year, p)
  }
  return windowCache.get(year)
}

let kinds = null
export function listActivityKinds() {
  if (!kinds) {
    kinds = http.get('/activity-kinds', undefined, { silent: true }).then((r) => r.items || [])
    kinds.catch(() => { kinds = null })
  }
  return kinds
}

let audiences = null
export function listActivityAudiences() {
  if (!audiences) {
    audiences = http.get('/activity-audiences', undefined, { silent: true }).then((r) => r.items || [])
    audiences.catch(() => { audiences = null })
  }
  return audiences
}

export const listTargets = (params, opts) => http.get('/targets', params, opts)
// params: { org_id } counts a per-unit target's units under that node only
export const getTargetProgress = (id, opts, params) => http.get(`/targets/${id}/progress`, params, opts)

export const listForms = (params, opts) => http.get('/forms', params, opts)
export const getFormCompleteness = (id, period, opts) =>
  http.get(`/forms/${id}/completeness`, { period }, opts)
