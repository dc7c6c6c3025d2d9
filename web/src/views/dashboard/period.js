// Period strings of the statistics API (`2026`, `2026Q2`, `2026-05`, `2026:science_week`) and the
// date arithmetic the dashboard needs on them, all in Asia/Shanghai whatever the browser's zone.
const shanghaiDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
})

// Today in Shanghai as { year, month, day } (numbers).
export function today() {
  const p = Object.fromEntries(shanghaiDate.formatToParts(new Date()).map((x) => [x.type, x.value]))
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day) }
}

export const currentYear = () => today().year

const pad = (n) => String(n).padStart(2, '0')

// What the period picker edits: { type: year|quarter|month|window|other, year, quarter, month, code, raw }.
export function parsePeriod(period) {
  const s = String(period || '')
  let m
  if ((m = /^(\d{4})$/.exec(s))) return { type: 'year', year: Number(m[1]), raw: s }
  if ((m = /^(\d{4})Q([1-4])$/.exec(s))) return { type: 'quarter', year: Number(m[1]), quarter: Number(m[2]), raw: s }
  if ((m = /^(\d{4})-(\d{2})$/.exec(s))) return { type: 'month', year: Number(m[1]), month: Number(m[2]), raw: s }
  if ((m = /^(\d{4}):([a-z0-9_]{1,32})$/.exec(s))) return { type: 'window', year: Number(m[1]), code: m[2], raw: s }
  // Weeks, days and ranges are valid for the server; the picker just shows them as they are.
  if ((m = /^(\d{4})/.exec(s))) return { type: 'other', year: Number(m[1]), raw: s }
  return null
}

export function buildPeriod({ type, year, quarter, month, code }) {
  if (type === 'quarter') return `${year}Q${quarter || 1}`
  if (type === 'month') return `${year}-${pad(month || 1)}`
  if (type === 'window') return code ? `${year}:${code}` : String(year)
  return String(year)
}

// The same period one year earlier: 2026→2025, 2026Q2→2025Q2, 2026-05→2025-05,
// 2026:science_week→2025:science_week; both ends of a range move.
export function lastYearPeriod(period) {
  return String(period).replace(/(^|\.\.)(\d{4})/g, (all, sep, y) => `${sep}${Number(y) - 1}`)
}

// Trend buckets: months across a year or a quarter, days inside a month or a window.
export function grainFor(period) {
  const p = parsePeriod(period)
  return p && (p.type === 'year' || p.type === 'quarter') ? 'month' : 'day'
}

// The latest period of a report form's type that has already ended: last month for a monthly
// form, last quarter for a quarterly one, last year for a yearly one.
export function latestEndedPeriod(periodType, now = today()) {
  if (periodType === 'month') {
    return now.month === 1 ? `${now.year - 1}-12` : `${now.year}-${pad(now.month - 1)}`
  }
  if (periodType === 'quarter') {
    const q = Math.floor((now.month - 1) / 3) + 1
    return q === 1 ? `${now.year - 1}Q4` : `${now.year}Q${q - 1}`
  }
  return String(now.year - 1)
}

// Short axis label of a series bucket: "05" for 2026-05, "05-18" for a day.
export function bucketLabel(bucket) {
  const s = String(bucket)
  let m
  if ((m = /^\d{4}-(\d{2})$/.exec(s))) return m[1]
  if ((m = /^\d{4}-(\d{2}-\d{2})$/.exec(s))) return m[1]
  return s
}
