// Texts of the sign-off (签认) of a point's teaching completion for a term (issue 14 item 21):
// the district's column and dialog, and the point's card on its home.
export default {
  zh: {
    signoff: {
      title: '完成情况签认', column: '签认', none: '未签认', sign: '签认', revise: '修改签认',
      dialogTitle: '签认教学任务完成情况', point: '教学点', term: '学期', figures: '计划 {planned} 项，已开课 {held} 项',
      status: '签认结果', comments: '意见', commentsHint: '退回时必须填写意见',
      st: { confirmed: '确认完成', returned: '退回整改' },
      by: '{name} 于 {at} 签认', empty: '上级单位尚未签认本教学点的教学任务完成情况', saved: '已签认',
    },
  },
  en: {
    signoff: {
      title: 'Completion sign-off', column: 'Sign-off', none: 'Not signed off', sign: 'Sign off', revise: 'Revise',
      dialogTitle: 'Sign off the teaching completion', point: 'Point', term: 'Term', figures: '{planned} planned, {held} held',
      status: 'Result', comments: 'Comments', commentsHint: 'Comments are required to return',
      st: { confirmed: 'Confirmed', returned: 'Returned' },
      by: 'Signed by {name} at {at}', empty: 'The upper level has not signed off this point\'s teaching yet', saved: 'Signed off',
    },
  },
}
