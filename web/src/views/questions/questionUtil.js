// Shared by the question bank's pages: the types, statuses and categories in their order (the
// server's, quiz.h), option labels, and the answer as people read it (B; A、C; 对; 答案1 / 答案2).
import { t } from '../../i18n/index.js'

export const TYPES = ['single', 'multiple', 'true_false', 'fill_in']
export const STATUSES = ['drafted', 'reviewed', 'retired']
export const TOPICS = ['clothing', 'food', 'housing', 'travel', 'daily_use', 'birth', 'growth', 'ageing', 'illness', 'death',
  'emergency', 'health', 'anti_fraud', 'environment', 'digital', 'other']
export const LITERACY = ['lit_knowledge', 'lit_method', 'lit_society']
export const LEVELS = [1, 2, 3, 4, 5]
export const label = (i) => String.fromCharCode(65 + i)
export const isChoice = (type) => type === 'single' || type === 'multiple'

export function answerText(type, answer) {
  if (answer === null || answer === undefined) return ''
  if (type === 'true_false') return answer ? t('questions.trueLabel') : t('questions.falseLabel')
  if (type === 'fill_in') return (answer || []).join(' / ')
  return Array.isArray(answer) ? answer.join('、') : answer
}

export function statusType(s) {
  return s === 'reviewed' ? 'success' : s === 'retired' ? 'info' : 'warning'
}
