// Tag colours of a report's status (submitted / draft / returned / missing).
export const STATUS_TAG = { submitted: 'success', draft: 'warning', returned: 'danger', missing: 'info' }
export const STATUSES = ['submitted', 'draft', 'returned', 'missing']
