// The names of the assessment's figure sources and their parameters as people read them: a
// source by its Chinese (or English) label, never its key; a parameter as a choice where the
// source has choices (a statistics metric, a kind of title).
import { t } from '../../i18n/index.js'
import { metricLabel } from '../targets/metrics.js'

export const BASE_METRICS = ['activities', 'participants', 'materials', 'videos', 'views', 'volunteers',
  'volunteer_hours', 'funds']

export function sourceLabel(key) {
  const text = t(`assessments.source.${key}`)
  return text === `assessments.source.${key}` ? t('assessments.sourceUnknown') : text
}

// The choices of a source's parameter ([] when it takes none), given the title kinds loaded.
export function paramChoices(key, titleKinds) {
  if (key === 'targets_met') return BASE_METRICS.map((m) => ({ value: m, label: metricLabel(m) }))
  if (key === 'designations') return titleKinds.map((k) => ({ value: k.code, label: k.name }))
  return []
}

// A measured value as read: a ratio in percent, a count as a number.
export function valueText(unit, v) {
  if (unit === 'ratio') return `${(Number(v) * 100).toFixed(1)}%`
  if (unit === 'count') return Number(v).toLocaleString('zh-CN')
  return Number(v).toFixed(2)
}
