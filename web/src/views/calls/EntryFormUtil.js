// Helpers shared by the unit's call pages (my calls, the entry form) and the reviewer's sheet:
// the deadline in Shanghai time with its countdown, the entry statuses' tag colours, and the
// values of a form as the server takes them (figures left out, empty values dropped).
import { t } from '../../i18n/index.js'

const DAY = 24 * 3600 * 1000

// {text, cls, passed} for a deadline (RFC 3339 with +08:00): "还剩 N 天", red under 3 days,
// "已截止" once passed. `now` is injectable for the countdown's tick.
export function deadlineInfo(deadline, now = Date.now()) {
  if (!deadline) return { text: '—', cls: '', passed: false }
  const left = Date.parse(deadline) - now
  if (Number.isNaN(left)) return { text: deadline, cls: '', passed: false }
  if (left <= 0) return { text: t('callEntry.closed'), cls: 'dl-passed', passed: true }
  const days = Math.floor(left / DAY)
  const text = days >= 1 ? t('callEntry.daysLeft', { n: days })
    : t('callEntry.hoursLeft', { n: Math.max(1, Math.ceil(left / 3600000)) })
  return { text, cls: left < 3 * DAY ? 'dl-soon' : '', passed: false }
}

// "2026-12-31 23:59" in Shanghai time, whatever the browser's zone.
export function shanghaiTime(value) {
  if (!value) return '—'
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return value
  const s = new Date(d.getTime() + 8 * 3600 * 1000).toISOString()
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`
}

export const ENTRY_TAG = {
  draft: 'info', submitted: 'primary', returned: 'danger', recommended: 'success',
  not_recommended: 'warning', withdrawn: 'info', under_review: 'primary', decided: 'success',
}

export const entryStatus = (s) => t(`callEntry.st.${s}`)

// Entries that count against a unit's quota (as the server's call_unit_counts do).
export const STANDING = ['submitted', 'recommended', 'not_recommended', 'under_review', 'decided']

const empty = (v) => v === null || v === undefined || v === ''

function cleanRow(row, columns) {
  const out = {}
  for (const c of columns) if (!empty(row[c.key])) out[c.key] = row[c.key]
  return out
}

// The values object for PATCH: every field but figures, empty ones left out; a checklist keeps
// all its items ({ok, files}); rows keep their order (an empty row stays, so that its index
// matches the errors the server names).
export function valuesForServer(form, values) {
  const out = {}
  for (const f of form || []) {
    const v = values[f.key]
    if (f.type === 'figure' || empty(v)) continue
    if (f.type === 'checklist') {
      const items = {}
      for (const it of f.items || []) {
        const x = v[it.key] || { ok: false, files: [] }
        items[it.key] = x.files && x.files.length ? { ok: !!x.ok, files: [...x.files] } : { ok: !!x.ok }
      }
      out[f.key] = items
    } else if (f.type === 'rows') {
      out[f.key] = v.map((r) => cleanRow(r, f.columns || []))
    } else if (f.type === 'person') {
      if (v.id || (v.name && v.name.trim())) out[f.key] = v.id ? { id: v.id } : { name: v.name.trim() }
    } else if (Array.isArray(v) && !['file', 'photo'].includes(f.type) && v.length === 0) {
      continue
    } else {
      out[f.key] = v
    }
  }
  return out
}

// The editable copy of stored values: a checklist gets every item, rows an array, files a list.
export function valuesForEditing(form, stored) {
  const out = {}
  for (const f of form || []) {
    const v = stored ? stored[f.key] : undefined
    if (f.type === 'checklist') {
      out[f.key] = {}
      for (const it of f.items || []) {
        const x = (v && v[it.key]) || {}
        out[f.key][it.key] = { ok: !!x.ok, files: [...(x.files || [])] }
      }
    } else if (f.type === 'rows') {
      out[f.key] = Array.isArray(v) ? v.map((r) => ({ ...r })) : []
    } else if (f.type === 'file' || f.type === 'photo') {
      out[f.key] = Array.isArray(v) ? [...v] : []
    } else if (f.type === 'person') {
      out[f.key] = v && typeof v === 'object' ? { ...v } : { name: '' }
    } else if (f.type === 'choice' && f.multiple) {
      out[f.key] = Array.isArray(v) ? [...v] : []
    } else {
      out[f.key] = v ?? null
    }
  }
  return out
}
