// Shared bits of the teaching plan pages: status tag types, term ranges (as the server computes
// them), and the category dictionary loaded once per session.
import { ref } from 'vue'
import { listCategories } from '../../api/plans.js'
import { label } from '../../i18n/index.js'

export const STATUS_TYPE = { draft: 'info', submitted: 'warning', approved: 'success', returned: 'danger' }
export const TERMS = ['spring', 'autumn', 'year']

// The days of a term: spring Mar 1 - Jul 31, autumn Sep 1 - Jan 31 of the next year, year Jan 1 - Dec 31.
export function termRange(year, term) {
  const y = Number(year)
  if (term === 'spring') return [`${y}-03-01`, `${y}-07-31`]
  if (term === 'autumn') return [`${y}-09-01`, `${y + 1}-01-31`]
  return [`${y}-01-01`, `${y}-12-31`]
}

export const categories = ref([])
let loading = null
export function loadCategories() {
  if (!loading) loading = listCategories().then((r) => { categories.value = r.items || [] }).catch(() => { loading = null })
  return loading
}
// The seeded categories are named by one character (衣, 食 … 死): shown with their full name from
// the courseCategory dictionary; a category an admin named in full is shown as named.
export function categoryFull(code, name) {
  if (name && name.length > 1) return name
  const full = label('courseCategory', code)
  return full && full !== code ? full : (name || code || '')
}
export const categoryName = (code) => categoryFull(code, categories.value.find((c) => c.code === code)?.name)

// Whether the signed-in user reviews plans of a point: a manager of a strict upper level.
export function canReview(user, plan, orgPath) {
  if (!user || !['admin', 'org_admin'].includes(user.role) || plan?.status !== 'submitted') return false
  const mine = user.org_path || ''
  return !orgPath || (orgPath.startsWith(mine) && orgPath !== mine)
}
