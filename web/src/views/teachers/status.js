// Tag colours of the teacher pool's statuses, and which chain steps a status allows.
export const STATUS_TYPES = {
  draft: 'info', proposed: 'warning', returned: 'danger', certified: 'primary', filed: 'success',
  city_pool: 'success', retired: 'info',
}
export const statusType = (s) => STATUS_TYPES[s] || 'info'
export const TEACHER_STATUSES = Object.keys(STATUS_TYPES)

// The next steps of a status: [action, least role rank, needs the city]
export const NEXT_STEPS = {
  draft: [['propose', 2, false]],
  returned: [['propose', 2, false]],
  proposed: [['certify', 3, false], ['return', 3, false]],
  certified: [['file', 3, true]],
  filed: [['city-pool', 3, true]],
}
