// Report periods of a form's type (month 2026-05, quarter 2026Q2, year 2026): the latest period
// that has ended (the one units are reporting now), stepping, and a readable label.
import { t } from '../../i18n/index.js'

// Today's year and month in Shanghai, whatever the browser's time zone.
function shanghaiToday() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
    .formatToParts(new Date())
  const get = (type) => Number(parts.find((p) => p.type === type).value)
  return { year: get('year'), month: get('month') }
}

// Period as a month index (year*12 + month-1 for months, year*4 + q-1 for quarters, year).
function toIndex(type, p) {
  const s = String(p)
  if (type === 'month') return Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7)) - 1
  if (type === 'quarter') return Number(s.slice(0, 4)) * 4 + Number(s.slice(5)) - 1
  return Number(s)
}

function fromIndex(type, i) {
  if (type === 'month') return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`
  if (type === 'quarter') return `${Math.floor(i / 4)}Q${(i % 4) + 1}`
  return String(i)
}

export function latestEnded(type) {
  const { year, month } = shanghaiToday()
  if (type === 'month') return fromIndex(type, year * 12 + month - 2)
  if (type === 'quarter') return fromIndex(type, year * 4 + Math.floor((month - 1) / 3) - 1)
  return String(year - 1)
}

export function shiftPeriod(type, p, by) {
  return fromIndex(type, toIndex(type, p) + by)
}

export function validPeriod(type, p) {
  const re = { month: /^\d{4}-(0[1-9]|1[0-2])$/, quarter: /^\d{4}Q[1-4]$/, year: /^\d{4}$/ }[type]
  return !!re && re.test(String(p || ''))
}

export function formPeriodLabel(type, p) {
  if (!validPeriod(type, p)) return p || '—'
  const s = String(p)
  if (type === 'month') return t('targets.monthLabel', { y: s.slice(0, 4), m: Number(s.slice(5, 7)) })
  if (type === 'quarter') return t('targets.quarterLabel', { y: s.slice(0, 4), q: s.slice(5) })
  return t('targets.yearLabel', { y: s })
}
