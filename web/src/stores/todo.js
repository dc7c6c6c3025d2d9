// What waits for the signed-in user, shared by the menu's badges and the bell: the to-do counts
// per menu path (GET /todo/counts) and the unread notifications' count, refreshed every 60 s and
// on each route change (the layout calls refreshTodo), and at once after a change of one's own.
import { ref } from 'vue'
import { getTodoCounts, listNotifications } from '../api/todo.js'

export const todoCounts = ref({})
export const todoTotal = ref(0)
export const unreadCount = ref(0)

let timer = null
let inflight = null
let users = 0   // the menus mounted (the sidebar, the phone's drawer): the last one stops the timer

export function refreshTodo() {
  if (inflight) return inflight
  inflight = Promise.all([
    getTodoCounts({ silent: true }).then((r) => { todoCounts.value = r.counts || {}; todoTotal.value = r.total || 0 }),
    listNotifications({ unread: 1, page_size: 1 }, { silent: true }).then((r) => { unreadCount.value = r.unread || 0 }),
  ]).catch(() => {}).finally(() => { inflight = null })
  return inflight
}

export function startTodoPolling() {
  users++
  if (timer) return
  refreshTodo()
  timer = setInterval(refreshTodo, 60000)
}

export function stopTodoPolling() {
  users = Math.max(0, users - 1)
  if (users) return
  if (timer) clearInterval(timer)
  timer = null
  todoCounts.value = {}
  todoTotal.value = 0
  unreadCount.value = 0
}
