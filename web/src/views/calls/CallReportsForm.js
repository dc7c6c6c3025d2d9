// The server's default form of a follow-up report (src/calls/reports.c DEFAULT_FORM), used when
// the call's review.report_form names none (issue 15, package L).
export const REPORT_FORM = [
  { key: 'progress', label: '完成情况', type: 'long_text', required: true, max: 5000 },
  { key: 'spending', label: '经费使用', type: 'long_text', required: true, max: 5000 },
  { key: 'effect', label: '成效', type: 'long_text', required: true, max: 5000 },
  { key: 'files', label: '附件', type: 'file', max_files: 20 },
]
