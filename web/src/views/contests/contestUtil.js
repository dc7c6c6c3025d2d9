// Codes the contest pages share (issue 17 E; the server's list in docs/api.md "Contests"): kinds,
// states, who may take part, and the question bank's categories (package A's quiz_categories:
// the 16 teaching topics of 007_plans_courses.sql and the three literacy dimensions). Their texts
// are in i18n/modules/contests.js.
export const KINDS = ['contest', 'self_assessment']
export const STATUSES = ['draft', 'published', 'closed']
export const STATUS_TAG = { draft: 'warning', published: 'success', closed: 'info' }
export const AUDIENCES = ['public', 'student', 'volunteer', 'staff']
export const CATEGORIES = ['lit_knowledge', 'lit_method', 'lit_society', 'clothing', 'food', 'housing', 'travel',
  'daily_use', 'birth', 'growth', 'ageing', 'illness', 'death', 'emergency', 'health', 'anti_fraud', 'environment',
  'digital', 'other']
