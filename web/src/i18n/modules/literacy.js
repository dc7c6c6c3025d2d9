// Literacy surveys and rates (科学素质, issue 17 C): the survey list, its form and import, the
// dashboard's card, the org form's population, the menu group 科学素质.
export default {
  zh: {
    literacy: {
      menu: '素质调查', title: '公民科学素质调查', org: '单位', year: '年度', dim: '人群维度', group: '人群',
      rate: '具备科学素质比例(%)', sample: '样本量', weight: '代表人口', source: '数据来源', note: '备注',
      population: '常住人口', add: '录入', edit: '修改', export: '导出', import: '导入', empty: '暂无调查数据',
      weightHint: '全体人群不填时取单位常住人口', rateHint: '0-100，至多两位小数', deleteConfirm: '删除该条调查数据？',
      required: '请填写单位、年度、人群和比例',
      dims: { all: '全体', age: '年龄', gender: '性别', area: '城乡', education: '文化程度', occupation: '职业' },
      card: '公民具备科学素质比例', cardYear: '{year} 年', noData: '暂无调查数据', byDistrict: '各下级单位', byGroup: '分人群',
      weighted: '按常住人口加权汇总', metric: '公民具备科学素质比例(%)',
    },
    literacyImport: {
      button: '导入', org: '单位',
      importTitle: '批量导入科学素质调查', importFile: '文件', importTemplate: '下载模板', importCheck: '检查',
      importCommit: '导入 {valid} 条有效记录', importChecked: '共 {rows} 行：{valid} 行有效，{bad} 行有问题',
      importDone: '已导入 {imported} 条', importRow: '行号', importField: '列', importProblem: '问题',
      importRowsFound: '共 {n} 行数据', importUploading: '正在上传… {pct}%', importChecking: '正在检查 {n} 行…',
      importCheckingPlain: '正在检查…', importCommitting: '正在导入 {n} 行…', importCommittingPlain: '正在导入…',
      fields: {
        year: '年度', org_id: '单位', group_dim: '人群维度', group_value: '人群', literate_rate: '具备科学素质比例(%)',
        sample_size: '样本量', weight_population: '代表人口', note: '数据来源/备注',
      },
    },
  },
  en: {
    literacy: {
      menu: 'Literacy surveys', title: 'Civic science literacy surveys', org: 'Unit', year: 'Year', dim: 'Dimension',
      group: 'Group', rate: 'Literacy rate (%)', sample: 'Sample size', weight: 'Population represented', source: 'Source',
      note: 'Note', population: 'Resident population', add: 'Add', edit: 'Edit', export: 'Export', import: 'Import',
      empty: 'No survey data', weightHint: 'Empty for the whole population: the unit\'s resident population',
      rateHint: '0-100, at most 2 decimals', deleteConfirm: 'Delete this survey row?',
      required: 'Fill in the unit, year, group and rate',
      dims: { all: 'All', age: 'Age', gender: 'Gender', area: 'Urban/rural', education: 'Education', occupation: 'Occupation' },
      card: 'Civic science literacy rate', cardYear: '{year}', noData: 'No survey data', byDistrict: 'By unit below',
      byGroup: 'By group', weighted: 'Weighted by resident population', metric: 'Science literacy rate (%)',
    },
    literacyImport: {
      button: 'Import', org: 'Unit',
      importTitle: 'Import literacy surveys', importFile: 'File', importTemplate: 'Template', importCheck: 'Check',
      importCommit: 'Import {valid} valid rows', importChecked: '{rows} rows: {valid} valid, {bad} with problems',
      importDone: '{imported} imported', importRow: 'Row', importField: 'Column', importProblem: 'Problem',
      importRowsFound: '{n} data rows', importUploading: 'Uploading… {pct}%', importChecking: 'Checking {n} rows…',
      importCheckingPlain: 'Checking…', importCommitting: 'Importing {n} rows…', importCommittingPlain: 'Importing…',
      fields: {
        year: 'Year', org_id: 'Unit', group_dim: 'Dimension', group_value: 'Group', literate_rate: 'Literacy rate (%)',
        sample_size: 'Sample size', weight_population: 'Population represented', note: 'Source / note',
      },
    },
  },
}
