// The statistics metrics the dashboard shows, their labels and number formatting.
import { t, lang } from '../../i18n/index.js'

// Every base metric of /stats, in display order; the KPI cards leave out `volunteers`.
export const METRICS = ['activities', 'participants', 'materials', 'videos', 'views', 'volunteers',
  'volunteer_hours', 'funds']
export const KPI_METRICS = ['activities', 'participants', 'materials', 'videos', 'views',
  'volunteer_hours', 'funds']

// The audiences the server knows (docs: activities' `audience`), used when GET /activity-audiences
// is not available.
const AUDIENCE_CODES = ['youth', 'farmers', 'workers', 'elderly', 'officials', 'public']
export const builtinAudiences = () => AUDIENCE_CODES.map((code) => ({ code, name: t(`dashboard.aud.${code}`) }))

// Label of any metric, including kind.<code> and audience.<code> (names from the dictionaries
// when they are loaded, the code otherwise).
export function metricLabel(metric, { kinds = [], audiences = [] } = {}) {
  const [head, code] = String(metric).split('.')
  if (head === 'kind' && code) {
    const name = kinds.find((k) => k.code === code)?.name || code
    return t('dashboard.kindMetric', { name })
  }
  if (head === 'audience' && code) {
    const name = audiences.find((a) => a.code === code)?.name || code
    return t('dashboard.audienceMetric', { name })
  }
  // Course metrics (courses, attendance, teaching_hours) are named by the courses texts; an
  // unknown code is shown as it is rather than as an i18n key.
  const key = `dashboard.metrics.${metric}`
  if (t(key) !== key) return t(key)
  const course = `courses.metrics.${metric}`
  return t(course) !== course ? t(course) : String(metric)
}

export const unitOf = (metric) => (METRICS.includes(metric) ? t(`dashboard.units.${metric}`) : '')

const whole = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 })
export function formatNumber(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—'
  return whole.format(Number(n))
}

// Compact form for chart labels: 12.3万 / 1.2亿 in Chinese, 12.3k / 1.2M in English.
export function formatCompact(n) {
  const v = Number(n) || 0
  const trim = (x) => String(Math.round(x * 10) / 10)
  if (lang.value === 'zh') {
    if (Math.abs(v) >= 1e8) return `${trim(v / 1e8)}亿`
    if (Math.abs(v) >= 1e4) return `${trim(v / 1e4)}万`
    return String(v)
  }
  if (Math.abs(v) >= 1e6) return `${trim(v / 1e6)}M`
  if (Math.abs(v) >= 1e3) return `${trim(v / 1e3)}k`
  return String(v)
}
