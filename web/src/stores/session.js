// The signed-in user, shared by the layout and the pages, and the role rules the UI follows
// (the server enforces them; the UI only hides what the role may not use).
import { ref, computed } from 'vue'
import { getMe, login as apiLogin, logout as apiLogout } from '../api/auth.js'
import { saveSession, clearSession } from '../api/http.js'

export const user = ref(null)

const ROLE_RANK = { admin: 4, org_admin: 3, staff: 2, teacher: 1, volunteer: 1, reviewer: 1 }
const SCOPE_RANK = { all: 4, subtree: 3, org: 2, self: 1 }

export const roleRank = (role) => ROLE_RANK[role] || 0
export const scopeRank = (scope) => SCOPE_RANK[scope] || 0

// True when the signed-in user's role is one of `roles` (or `roles` is empty).
// A reviewer (评审专家, an outside expert) opens only the pages that list its role.
export function hasRole(roles) {
  if (user.value?.role === 'reviewer') return !!roles && roles.includes('reviewer')
  if (!roles || roles.length === 0) return true
  return !!user.value && roles.includes(user.value.role)
}

export const isManager = computed(() => hasRole(['admin', 'org_admin']))
export const isStaffOrAbove = computed(() => roleRank(user.value?.role) >= 2)

export function isLoggedIn() { return !!user.value }

export async function loadUser() {
  user.value = await getMe()
  return user.value
}

// After a reload the page knows nothing but the browser still holds the HttpOnly session
// cookie: GET /me says whether it is still good (true) or gone (false, no redirect here).
export async function restoreSession() {
  if (user.value) return true
  try {
    user.value = await getMe({ silent: true, quiet401: true })
    return true
  } catch {
    return false
  }
}

export async function login(username, password) {
  const res = await apiLogin(username, password)
  // The answer's token is not kept: the server has set the kepu_session cookie.
  saveSession(res.csrf_token)
  user.value = res.user
  // /me adds org_name and org_path; the login answer is enough to go on if it fails.
  try { await loadUser() } catch { /* keep res.user */ }
  return user.value
}

export async function logout() {
  try { await apiLogout() } catch { /* the session may already be gone */ }
  forget()
}

export function forget() {
  clearSession()
  user.value = null
}
