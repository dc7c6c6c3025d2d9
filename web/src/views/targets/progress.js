// How a target's progress (GET /targets/:id/progress) is summed up on screen: one status for the
// row (for `each` targets: behind as soon as one unit is behind) and the tag colour of a status.
export const STATUS_TAG = { achieved: 'success', on_track: 'primary', behind: 'danger' }
const ORDER = { behind: 0, on_track: 1, achieved: 2 }

export function rowStatus(p) {
  if (!p) return ''
  if (!p.units) return p.status
  if (p.units_total > 0 && p.units_achieved === p.units_total) return 'achieved'
  return p.units_behind > 0 ? 'behind' : 'on_track'
}

export function rowPercent(p) {
  if (!p) return 0
  if (!p.units) return p.percent || 0
  return p.units_total ? Math.round((p.units_achieved / p.units_total) * 100) : 0
}

// Units behind first, then on track, then achieved; the weakest first within a status.
export function sortUnits(units) {
  return [...(units || [])].sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || a.percent - b.percent)
}
