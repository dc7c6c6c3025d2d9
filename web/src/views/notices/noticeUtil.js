// Shared bits of the notices pages: the state tag's colour, the org types a notice targets, and
// the time left before a reply deadline.
export const STATE_TAG = { draft: 'info', scheduled: 'warning', published: 'success', withdrawn: 'danger' }
export const CATEGORIES = ['通知', '公告', '工作要点', '实施意见', '其他']
export const TARGET_TYPES = ['district', 'street', 'point', 'society', 'base', 'unit']

// { d, h } left before an RFC 3339 deadline, null once it has passed.
export function timeLeft(deadline, now = Date.now()) {
  const ms = Date.parse(deadline) - now
  if (!(ms > 0)) return null
  return { d: Math.floor(ms / 86400000), h: Math.floor((ms % 86400000) / 3600000) }
}
