// Texts of the teacher pool's and the organization tree's Excel imports (issue 14 item 14): the
// buttons on their pages and the shared ImportDialog's namespaces `teacherImport`, `orgImport`.
const dialogZh = {
  button: '导入', importFile: '文件', importTemplate: '下载模板', importCheck: '检查',
  importCommit: '导入 {valid} 条有效记录', importChecked: '共 {rows} 行：{valid} 行有效，{bad} 行有问题',
  importDone: '已导入 {imported} 条', importRow: '行号', importField: '列', importProblem: '问题',
  importRowsFound: '共 {n} 行数据', importUploading: '正在上传… {pct}%', importChecking: '正在检查 {n} 行…',
  importCheckingPlain: '正在检查…', importCommitting: '正在导入 {n} 行…', importCommittingPlain: '正在导入…',
}
const dialogEn = {
  button: 'Import', importFile: 'File', importTemplate: 'Template', importCheck: 'Check',
  importCommit: 'Import {valid} valid rows', importChecked: '{rows} rows: {valid} valid, {bad} with problems',
  importDone: '{imported} imported', importRow: 'Row', importField: 'Column', importProblem: 'Problem',
  importRowsFound: '{n} data rows', importUploading: 'Uploading… {pct}%', importChecking: 'Checking {n} rows…',
  importCheckingPlain: 'Checking…', importCommitting: 'Importing {n} rows…', importCommittingPlain: 'Importing…',
}

export default {
  zh: {
    teacherImport: {
      ...dialogZh, org: '所属单位', importTitle: '批量导入师资',
      fields: {
        name: '姓名', id_number: '身份证号', phone: '手机号', gender: '性别', unit: '工作单位', title: '职称',
        specialties: '专业特长', topics: '授课主题',
      },
    },
    orgImport: {
      ...dialogZh, org: '导入到', importTitle: '批量导入组织机构',
      fields: { name: '机构名称', type: '机构类型', code: '机构代码', parent: '上级机构' },
    },
  },
  en: {
    teacherImport: {
      ...dialogEn, org: 'Unit', importTitle: 'Import teachers',
      fields: {
        name: 'Name', id_number: 'ID number', phone: 'Phone', gender: 'Gender', unit: 'Work unit', title: 'Title',
        specialties: 'Specialties', topics: 'Topics',
      },
    },
    orgImport: {
      ...dialogEn, org: 'Under', importTitle: 'Import organizations',
      fields: { name: 'Name', type: 'Type', code: 'Code', parent: 'Parent' },
    },
  },
}
