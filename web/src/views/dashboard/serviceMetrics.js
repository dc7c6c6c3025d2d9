// The dashboard's teaching and volunteer metrics (keyed counters of the courses and volunteer
// modules, docs/api.md "Statistics"): over the period, and the two counted from 20 years back to
// the period's end (what is on record then).
export const SERVICE_METRICS = ['courses', 'attendance', 'teaching_hours', 'volunteer_activities', 'people_served',
  'registered_volunteers', 'volunteer_teams']
export const STANDING = ['registered_volunteers', 'volunteer_teams']
export const PERIOD_SERVICE_METRICS = SERVICE_METRICS.filter((m) => !STANDING.includes(m))

// The range from 20 years before `to` (YYYY-MM-DD) to `to`: the longest period /stats takes.
export const standingPeriod = (to) => `${Number(to.slice(0, 4)) - 19}-01-01..${to}`
