// Shared by the staff pages of calls: the tag colour of each call and entry status, the states
// of the progress board, and the Shanghai deadline as the tables show it.
import { formatDateTime } from '../../utils/format.js'

export const CALL_STATUSES = ['draft', 'open', 'reviewing', 'deciding', 'publicizing', 'final', 'archived', 'cancelled']
export const ENTRY_STATUSES = ['submitted', 'returned', 'recommended', 'not_recommended', 'under_review', 'decided', 'withdrawn']
export const BOARD_STATES = ['behind', 'not_started', 'done', 'late', 'returned']

const CALL_TAG = { draft: 'info', open: 'success', reviewing: 'warning', deciding: 'warning', publicizing: 'primary',
  final: 'success', archived: 'info', cancelled: 'danger' }
const ENTRY_TAG = { draft: 'info', submitted: 'primary', returned: 'danger', recommended: 'success', not_recommended: 'info',
  under_review: 'warning', decided: 'success', withdrawn: 'info' }
const STATE_TAG = { behind: 'danger', not_started: 'info', done: 'success' }

export const callTag = (s) => CALL_TAG[s] || 'info'
export const entryTag = (s) => ENTRY_TAG[s] || 'info'
export const stateTag = (s) => STATE_TAG[s] || 'info'

// A deadline such as 2026-10-31T23:59:59+08:00 shown in Shanghai time.
export const deadlineText = (v) => formatDateTime(v)

// The calls that a manager may still change (the designer edits them; open/close follow).
export const editable = (call) => call && (call.status === 'draft' || call.status === 'open')
