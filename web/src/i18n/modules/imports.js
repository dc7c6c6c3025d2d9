// Texts of the activity register's Excel import (issue 14): the button on the activities page
// and the shared ImportDialog's namespace `activityImport`.
export default {
  zh: {
    activityImport: {
      button: '导入',
      org: '组织单位',
      importTitle: '批量导入活动登记', importFile: '文件', importTemplate: '下载模板', importCheck: '检查',
      importCommit: '导入 {valid} 条有效记录', importChecked: '共 {rows} 行：{valid} 行有效，{bad} 行有问题',
      importDone: '已导入 {imported} 条', importRow: '行号', importField: '列', importProblem: '问题',
      importRowsFound: '共 {n} 行数据', importUploading: '正在上传… {pct}%', importChecking: '正在检查 {n} 行…',
      importCheckingPlain: '正在检查…', importCommitting: '正在导入 {n} 行…', importCommittingPlain: '正在导入…',
      fields: {
        title: '活动名称', kind: '活动类型', start_date: '开始日期', end_date: '结束日期', place: '地点',
        audience: '活动对象', participants: '参与人数', materials: '发放资料', videos: '短视频', views: '线上观看',
        volunteers: '志愿者人数', volunteer_hours: '志愿服务时长', funds: '经费(元)', tags: '标签',
        co_organizers: '协办单位', description: '活动简介',
      },
    },
  },
  en: {
    activityImport: {
      button: 'Import',
      org: 'Organizer',
      importTitle: 'Import activities', importFile: 'File', importTemplate: 'Template', importCheck: 'Check',
      importCommit: 'Import {valid} valid rows', importChecked: '{rows} rows: {valid} valid, {bad} with problems',
      importDone: '{imported} imported', importRow: 'Row', importField: 'Column', importProblem: 'Problem',
      importRowsFound: '{n} data rows', importUploading: 'Uploading… {pct}%', importChecking: 'Checking {n} rows…',
      importCheckingPlain: 'Checking…', importCommitting: 'Importing {n} rows…', importCommittingPlain: 'Importing…',
      fields: {
        title: 'Title', kind: 'Kind', start_date: 'Start', end_date: 'End', place: 'Place', audience: 'Audience',
        participants: 'Participants', materials: 'Materials', videos: 'Videos', views: 'Online views',
        volunteers: 'Volunteers', volunteer_hours: 'Volunteer hours', funds: 'Funds (yuan)', tags: 'Tags',
        co_organizers: 'Co-organizers', description: 'Description',
      },
    },
  },
}
