// Texts of the course pages (课程): upcoming courses, the register, the course form and the
// "mark held" dialog; also the names of the course metrics for statistics and targets.
export default {
  zh: {
    courses: {
      menu: '课程', tabUpcoming: '近期课程', tabAll: '全部课程',
      title: '课程名称', topic: '主题', category: '类别', org: '教学点', time: '上课时间', startsAt: '开始时间',
      endsAt: '结束时间', place: '地点', capacity: '容纳人数', teachers: '授课教师', teachersHint: '多位教师用逗号分隔',
      audience: '面向对象', materials: '教学资料', status: '状态', attendance: '到课人数', hours: '课时',
      record: '课堂记录', photos: '照片与附件', source: '来源', fromPlan: '来自教学计划', adHoc: '临时安排',
      planItem: '计划课程', pickPlan: '选择已通过的教学计划', pickItem: '选择计划中的课程',
      st: { scheduled: '待开课', held: '已开课', cancelled: '已取消' },
      createTitle: '新增课程', editTitle: '编辑课程', hold: '登记开课', holdTitle: '登记开课情况',
      cancel: '取消课程', cancelConfirm: '确定取消课程“{name}”吗？', cancelled: '已取消',
      deleteConfirm: '确定删除课程“{name}”吗？', heldOk: '已登记开课', photosAfter: '保存后可上传课堂照片',
      empty: '暂无课程', noUpcoming: '近期没有待开的课程', from: '起', to: '止', search: '搜索主题或地点',
      upload: '上传照片', uploadHint: '支持 JPEG、PNG、PDF 等，单个不超过 20 MB', noFiles: '暂无附件',
      fileTooLarge: '{name} 超过 20 MB', uploaded: '已上传 {name}', fileDeleteConfirm: '确定删除附件“{name}”吗？',
      download: '下载', fileName: '文件名', fileSize: '大小', fileType: '类型', fileTime: '上传时间', detail: '课程详情', timeRule: '请选择上课时间', endRule: '结束时间应晚于开始时间',
      metrics: { courses: '开课次数', attendance: '到课人次', teaching_hours: '授课课时' },
      // issue 18 C: enrolments from the public portal
      resources: '课程资源', resourceSearch: '输入标题，从资源库关联', noResources: '尚未关联资源', resourceTitle: '资源',
      resourceOrg: '上传单位', unlink: '移除', linked: '已关联：{title}',
      enrolments: '门户报名', enrolName: '姓名', enrolPhone: '手机号', enrolAt: '报名时间', noEnrolments: '暂无报名', portalPage: '门户页面', enrolExport: '导出名单',
    },
  },
  en: {
    courses: {
      menu: 'Courses', tabUpcoming: 'Upcoming', tabAll: 'All courses',
      title: 'Title', topic: 'Topic', category: 'Category', org: 'Teaching point', time: 'Time', startsAt: 'Starts',
      endsAt: 'Ends', place: 'Place', capacity: 'Capacity', teachers: 'Teachers', teachersHint: 'Separate names with commas',
      audience: 'Audience', materials: 'Materials', status: 'Status', attendance: 'Attendance', hours: 'Hours',
      record: 'Record', photos: 'Photos and files', source: 'Source', fromPlan: 'From a plan', adHoc: 'Ad hoc',
      planItem: 'Plan item', pickPlan: 'Pick an approved plan', pickItem: 'Pick an item of the plan',
      st: { scheduled: 'Scheduled', held: 'Held', cancelled: 'Cancelled' },
      createTitle: 'New course', editTitle: 'Edit course', hold: 'Mark held', holdTitle: 'Mark the course held',
      cancel: 'Cancel course', cancelConfirm: 'Cancel the course "{name}"?', cancelled: 'Cancelled',
      deleteConfirm: 'Delete the course "{name}"?', heldOk: 'Marked held', photosAfter: 'Photos can be uploaded after saving',
      empty: 'No courses', noUpcoming: 'No upcoming courses', from: 'From', to: 'To', search: 'Search topic or place',
      upload: 'Upload photo', uploadHint: 'JPEG, PNG, PDF …, up to 20 MB each', noFiles: 'No files',
      fileTooLarge: '{name} is over 20 MB', uploaded: 'Uploaded {name}', fileDeleteConfirm: 'Delete "{name}"?',
      download: 'Download', fileName: 'File', fileSize: 'Size', fileType: 'Type', fileTime: 'Uploaded', detail: 'Course', timeRule: 'Pick the time', endRule: 'The end must be after the start',
      metrics: { courses: 'Courses held', attendance: 'Attendance', teaching_hours: 'Teaching hours' },
      // issue 18 C: enrolments from the public portal
      resources: 'Resources', resourceSearch: 'Type a title to link from the library', noResources: 'No resources linked',
      resourceTitle: 'Resource', resourceOrg: 'Uploaded by', unlink: 'Remove', linked: 'Linked: {title}',
      enrolments: 'Portal enrolments', enrolName: 'Name', enrolPhone: 'Phone', enrolAt: 'Enrolled', noEnrolments: 'No enrolments', portalPage: 'Portal page', enrolExport: 'Export list',
    },
  },
}
