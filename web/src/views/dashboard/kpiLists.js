// The metric lists of the dashboard's two KPI rows (KpiCards.vue): the activity register's
// figures, and the teaching and volunteer ones (issue 14 item 23), from the /stats answers the
// dashboard loaded. `previous` null means there is nothing to compare with; a count on record at
// the period's end carries a note instead of a comparison.
import { KPI_METRICS, metricLabel, unitOf } from './metrics.js'
import { SERVICE_METRICS, STANDING } from './serviceMetrics.js'
import { t } from '../../i18n/index.js'

// data: { current, previous (null when last year's call failed), standing, standingTo,
//         sources (/stats/sources' parts, null until loaded) }
export function registerKpis(data) {
  return KPI_METRICS.map((m) => ({
    key: m, label: metricLabel(m), unit: unitOf(m),
    current: data.current?.[m], previous: data.previous ? (data.previous[m] ?? 0) : null,
    parts: data.sources ? data.sources.map((s) => ({ source: s.source, value: s.values?.[m] ?? 0 })) : null,
  }))
}

export function serviceKpis(data) {
  return SERVICE_METRICS.map((m) => {
    const base = { key: m, label: t(`dashKpi.metrics.${m}`), unit: t(`dashKpi.units.${m}`) }
    if (STANDING.includes(m)) {
      return { ...base, current: data.standing?.[m], note: data.standingTo ? t('dashKpi.standing', { d: data.standingTo }) : '' }
    }
    return { ...base, current: data.current?.[m], previous: data.previous ? (data.previous[m] ?? 0) : null }
  })
}
