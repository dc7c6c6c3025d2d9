// Period strings of the statistics API (2026, 2026Q2, 2026-05, 2026:science_week, …): readable
// labels, and the named windows of a year (GET /stat-windows), cached per year.
import { reactive } from 'vue'
import { listStatWindows } from '../../api/targets.js'
import { t } from '../../i18n/index.js'

// year -> [{code, name, from, to, period}]
export const windowsByYear = reactive({})
const pending = {}

export function loadWindows(year) {
  const y = String(year)
  if (!/^\d{4}$/.test(y)) return Promise.resolve([])
  if (windowsByYear[y]) return Promise.resolve(windowsByYear[y])
  if (!pending[y]) {
    pending[y] = listStatWindows(y)
      .then((r) => { windowsByYear[y] = r.items || []; return windowsByYear[y] })
      .catch(() => { windowsByYear[y] = []; return [] })
      .finally(() => { delete pending[y] })
  }
  return pending[y]
}

// Splits a period into {kind, year, quarter, month, window, raw}; kind is year | quarter | month |
// window | custom (weeks, days and ranges are kept as they are).
export function parsePeriod(p) {
  const s = String(p || '')
  let m
  if ((m = /^(\d{4})$/.exec(s))) return { kind: 'year', year: m[1] }
  if ((m = /^(\d{4})Q([1-4])$/.exec(s))) return { kind: 'quarter', year: m[1], quarter: Number(m[2]) }
  if ((m = /^(\d{4})-(\d{2})$/.exec(s))) return { kind: 'month', year: m[1], month: Number(m[2]) }
  if ((m = /^(\d{4}):([a-z0-9_]+)$/.exec(s))) return { kind: 'window', year: m[1], window: m[2] }
  return { kind: 'custom', raw: s }
}

export function periodLabel(p) {
  const x = parsePeriod(p)
  switch (x.kind) {
    case 'year': return t('targets.yearLabel', { y: x.year })
    case 'quarter': return t('targets.quarterLabel', { y: x.year, q: x.quarter })
    case 'month': return t('targets.monthLabel', { y: x.year, m: x.month })
    case 'window': {
      const w = (windowsByYear[x.year] || []).find((v) => v.code === x.window)
      return w ? `${x.year} ${w.name}` : p
    }
    default: {
      // 2026-05-17..2026-05-23 reads shorter as 2026-05-17 ~ 05-23 within one year.
      const r = /^(\d{4})(-\d{2}-\d{2})\.\.(\d{4})-(\d{2}-\d{2})$/.exec(x.raw)
      if (r) return r[1] === r[3] ? `${r[1]}${r[2]} ~ ${r[4]}` : x.raw.replace('..', ' ~ ')
      return p || '—'
    }
  }
}
