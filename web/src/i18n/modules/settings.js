// Texts of the admin dictionaries page (字典设置): activity kinds and statistics windows.
export default {
  zh: {
    settings: {
      kinds: '活动类型', windows: '统计时段', code: '编码', name: '名称', sort: '排序', active: '启用',
      codeRule: '编码为 1–32 位小写字母、数字或下划线', nameRequired: '请输入名称',
      addKind: '新增活动类型', editKind: '编辑活动类型', kindHint: '停用的类型不再出现在登记表单中，历史活动仍保留。',
      year: '年度', from: '开始日期', to: '结束日期', period: '统计口径', addWindow: '新增统计时段',
      editWindow: '编辑统计时段', windowHint: '统计时段（如科技活动周、全国科普日）可在数据看板和统计中按名称选用。',
      windowDeleteConfirm: '确定删除统计时段“{name}”（{year}）吗？', toBeforeFrom: '结束日期不能早于开始日期',
      dateRequired: '请选择日期', yearMismatch: '开始日期应在所选年度内', days: '{n} 天',
    },
  },
  en: {
    settings: {
      kinds: 'Activity kinds', windows: 'Statistics windows', code: 'Code', name: 'Name', sort: 'Order', active: 'Active',
      codeRule: '1–32 lowercase letters, digits or underscores', nameRequired: 'Enter a name',
      addKind: 'New activity kind', editKind: 'Edit activity kind', kindHint: 'An inactive kind is no longer offered in the form; past activities keep it.',
      year: 'Year', from: 'From', to: 'To', period: 'Period', addWindow: 'New window',
      editWindow: 'Edit window', windowHint: 'Named windows (Science Week, Science Day, …) can be chosen by name in the dashboard and statistics.',
      windowDeleteConfirm: 'Delete the window “{name}” ({year})?', toBeforeFrom: 'The end date cannot be before the start date',
      dateRequired: 'Choose a date', yearMismatch: 'The start date should lie in the chosen year', days: '{n} days',
    },
  },
}
