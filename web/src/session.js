// The logged-in user, loaded once from /me and shared by the layout and pages.
import { ref } from 'vue'
import { me } from './api/kepu.js'

export const currentUser = ref(null)
export async function loadUser() { currentUser.value = await me(); return currentUser.value }
export const rank = (role) => ({ admin: 4, org_admin: 3, staff: 2 })[role] || 1
