// Texts of the 称号复核 tab of a call over title holders (issue 15, package K; views/calls/CallRecert.vue).
export default {
  zh: {
    callRecert: {
      tab: '称号复核', settings: '复核设置', holderKind: '复核的称号', noMin: '不设', minHint: '低于此数即建议撤销',
      revokeLast: '末位淘汰（名）', lastHint: '为 0 时按比例', revokeShare: '末位淘汰比例', save: '保存设置', saved: '已保存',
      locked: '已有决定，复核设置不能再修改', proposal: '复核建议', holders: '持有单位 {n} 家', proposedRevoke: '建议撤销 {n} 家',
      kept: '已保留 {n}', revoked: '已撤销 {n}', apply: '按建议生成决定', toResults: '公示与结果 →', none: '暂无持有单位',
      unit: '单位', figures: '数据（实际 / 最低）', score: '评审得分', rank: '排名', tied: '（并列）', proposalCol: '建议',
      decision: '决定', undecided: '未决定', out: { keep: '保留', revoke: '撤销' },
      belowMin: '未达条件：{what}', lastPlace: '末位淘汰：第 {n} 名（共 {m} 名）', keptRank: '第 {n} 名（共 {m} 名）',
      applyConfirm: '按建议生成全部未决定单位的决定（建议撤销 {n} 家）吗？', applied: '已生成 {n} 项决定',
      reasonFor: { keep: '保留“{unit}”的理由：', revoke: '撤销“{unit}”的理由：' }, reasonRequired: '请填写理由',
    },
  },
  en: {
    callRecert: {
      tab: 'Re-certification', settings: 'Settings', holderKind: 'Title reviewed', noMin: 'none', minHint: 'below it: revoke proposed',
      revokeLast: 'Revoke the last', lastHint: '0: by share', revokeShare: 'Revoke share', save: 'Save settings', saved: 'Saved',
      locked: 'Decisions exist: the settings are fixed', proposal: 'Proposal', holders: '{n} holders', proposedRevoke: '{n} to revoke',
      kept: 'Kept {n}', revoked: 'Revoked {n}', apply: 'Decide as proposed', toResults: 'Publicity and results →', none: 'No holders',
      unit: 'Unit', figures: 'Figures (actual / minimum)', score: 'Score', rank: 'Rank', tied: ' (tied)', proposalCol: 'Proposal',
      decision: 'Decision', undecided: 'Undecided', out: { keep: 'Keep', revoke: 'Revoke' },
      belowMin: 'Below minimum: {what}', lastPlace: 'Last place: rank {n} of {m}', keptRank: 'Rank {n} of {m}',
      applyConfirm: 'Decide every undecided holder as proposed ({n} to revoke)?', applied: '{n} decisions taken',
      reasonFor: { keep: 'Why keep "{unit}":', revoke: 'Why revoke "{unit}":' }, reasonRequired: 'Give a reason',
    },
  },
}
