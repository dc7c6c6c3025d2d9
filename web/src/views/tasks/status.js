// The live status of an owner row as a tag: its type (overdue red) and its text, and the
// countdown to the deadline (days_left from the server, or counted from the deadline).
import { t } from '../../i18n/index.js'

export function statusTag(owner) {
  if (!owner) return { type: 'info', text: '' }
  if (owner.status === 'overdue') return { type: 'danger', text: t('tasks.st.overdue') }
  if (owner.status === 'done') return { type: 'success', text: t('tasks.st.done') }
  if (owner.at_risk) return { type: 'warning', text: t('tasks.atRisk') }
  return { type: owner.status === 'in_progress' ? 'primary' : 'info', text: t(`tasks.st.${owner.status}`) }
}

export function countdown(days) {
  if (days == null) return ''
  if (days < 0) return t('tasks.daysOver', { n: -days })
  if (days === 0) return t('tasks.dueToday')
  return t('tasks.daysLeft', { n: days })
}
