// Texts of the expert pool page (专家库) and of a call's reviewers taken from the pool (issue 15,
// package L).
export default {
  zh: {
    callExperts: {
      menu: '专家库', name: '姓名', specialties: '专业领域', affiliation: '工作单位', account: '账号',
      org: '所属单位', active: '状态', activeYes: '在库', activeNo: '已停用', specialty: '专业领域（精确）',
      q: '姓名', add: '添加专家', edit: '编辑专家', deactivate: '停用', activate: '启用', export: '导出',
      pickAccount: '搜索账号（评审专家或本单位范围内）', specialtyHint: '输入后回车，最多 10 项',
      empty: '专家库暂无成员', saved: '已保存', confirmDeactivate: '停用专家“{name}”？',
      nameRequired: '请填写姓名', accountRequired: '请选择账号',
      fromPool: '从专家库添加', pickExpert: '选择专家库成员', conflict: '冲突',
      rep: {
        title: '跟踪报告', midterm: '中期报告', final: '结题报告', kind: '报告', status: '状态', due: '截止日期',
        score: '绩效得分', grade: '绩效等级', empty: '尚无报告', create: '填写{kind}', openRound: '开启绩效评审',
        roundOpened: '已开启第 {n} 轮绩效评审，请在评审管理中分配专家',
      },
    },
  },
  en: {
    callExperts: {
      menu: 'Expert pool', name: 'Name', specialties: 'Specialties', affiliation: 'Affiliation', account: 'Account',
      org: 'Unit', active: 'Status', activeYes: 'Active', activeNo: 'Deactivated', specialty: 'Specialty (exact)',
      q: 'Name', add: 'Add an expert', edit: 'Edit the expert', deactivate: 'Deactivate', activate: 'Activate', export: 'Export',
      pickAccount: 'Search an account (a reviewer, or one in your scope)', specialtyHint: 'Type and press Enter, up to 10',
      empty: 'The pool has no members yet', saved: 'Saved', confirmDeactivate: 'Deactivate the expert "{name}"?',
      nameRequired: 'Enter the name', accountRequired: 'Choose an account',
      fromPool: 'Add from the pool', pickExpert: 'Choose a pool member', conflict: 'Conflict',
      rep: {
        title: 'Follow-up reports', midterm: 'Mid-term report', final: 'Final report', kind: 'Report', status: 'Status',
        due: 'Due', score: 'Performance score', grade: 'Performance grade', empty: 'No reports yet', create: 'Write the {kind}',
        openRound: 'Open a performance round', roundOpened: 'Round {n} of the performance review is open; assign its reviewers on the review tab',
      },
    },
  },
}
