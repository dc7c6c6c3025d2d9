// Texts of the district assessment (目标管理考核, issue 16 E): schemes, indicators, the ranking and
// a district's own scores.
export default {
  zh: {
    assessments: {
      menu: '目标考核', detailTitle: '考核排名', add: '新建考核方案', empty: '暂无考核方案',
      createTitle: '新建考核方案', editTitle: '编辑考核方案', deleteConfirm: '确定删除考核方案“{name}”吗？',
      year: '年度', title: '方案名称', org: '考核单位', statusLabel: '状态',
      status: { draft: '草稿', open: '考核中', final: '已定稿' },
      indicator: '考核指标', sourceLabel: '数据来源', param: '参数', paramAll: '全部', weight: '分值',
      maxPoints: '最高分', addIndicator: '添加指标', weightSum: '分值合计 {n} 分',
      weightWarning: '分值合计不是 100 分，请确认', sourceUnknown: '暂不可用的数据来源',
      source: {
        targets_met: '目标任务完成率', reports_complete: '报表填报完整率', reports_on_time: '报表按时报送率',
        designations: '获得命名称号数', call_results: '评选获奖项目数', volunteer_hours: '志愿服务时长',
        tasks_on_time: '任务按时完成率', manual: '人工评分',
      },
      rank: '名次', unit: '单位', total: '总分', score: '评分', value: '完成值', lost: '失分', detail: '失分说明',
      exportXlsx: '导出 Excel', exportPdf: '导出 PDF', open: '发布考核', finalize: '定稿',
      openConfirm: '发布后各被考核单位可查看本单位得分，确定发布吗？',
      finalizeConfirm: '定稿后得分冻结，之后的数据变化不再影响考核结果，确定定稿吗？', finalized: '已定稿',
      frozenAt: '定稿于 {at}', myRank: '本单位得分 {total} 分，在 {n} 个单位中排名第 {rank}',
      manualTitle: '评分：{unit} · {item}', note: '评分说明', evidence: '佐证材料',
      evidenceAfterSave: '保存评分后可上传佐证材料',
    },
  },
  en: {
    assessments: {
      menu: 'Assessment', detailTitle: 'Assessment ranking', add: 'New scheme', empty: 'No assessment schemes',
      createTitle: 'New assessment scheme', editTitle: 'Edit assessment scheme', deleteConfirm: 'Delete the scheme "{name}"?',
      year: 'Year', title: 'Title', org: 'Assessing unit', statusLabel: 'Status',
      status: { draft: 'Draft', open: 'Open', final: 'Final' },
      indicator: 'Indicator', sourceLabel: 'Source', param: 'Parameter', paramAll: 'All', weight: 'Points',
      maxPoints: 'Max points', addIndicator: 'Add indicator', weightSum: 'Points in all: {n}',
      weightWarning: 'The points do not add up to 100', sourceUnknown: 'Source not available',
      source: {
        targets_met: 'Targets met', reports_complete: 'Reports complete', reports_on_time: 'Reports on time',
        designations: 'Titles granted', call_results: 'Entries awarded', volunteer_hours: 'Volunteer service hours',
        tasks_on_time: 'Tasks done on time', manual: 'Scored by hand',
      },
      rank: 'Rank', unit: 'Unit', total: 'Total', score: 'Score', value: 'Value', lost: 'Lost', detail: 'Where points were lost',
      exportXlsx: 'Export Excel', exportPdf: 'Export PDF', open: 'Open', finalize: 'Finalize',
      openConfirm: 'Once open, each assessed unit sees its own scores. Open it?',
      finalizeConfirm: 'Finalizing freezes the scores: later figures change nothing. Finalize?', finalized: 'Finalized',
      frozenAt: 'frozen at {at}', myRank: 'Our total is {total}: rank {rank} of {n} units',
      manualTitle: 'Score: {unit} · {item}', note: 'Note', evidence: 'Evidence',
      evidenceAfterSave: 'Evidence can be uploaded once the score is saved',
    },
  },
}
