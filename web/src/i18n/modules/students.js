// Texts of the students pages (namespace `students`).
export default {
  zh: {
    students: {
      menu: '学员管理', title: '学员', add: '登记学员', edit: '编辑学员', export: '导出 Excel',
      org: '教学点', name: '姓名', gender: '性别', ageGroup: '年龄段', phone: '手机号', idNumber: '身份证号',
      informant: '科普中国信息员', status: '状态', source: '来源', attendance: '签到次数', search: '按姓名搜索',
      phoneSearch: '完整手机号', empty: '暂无学员', history: '签到记录', noHistory: '暂无签到记录',
      course: '课程', time: '时间', method: '方式', saved: '已保存', leaveConfirm: '确定将学员“{name}”标记为已离开？',
      left: '已标记为离开', phoneKeep: '不修改请留空（已保存的号码不会显示）', idKeep: '选填；不修改请留空',
      g: { male: '男', female: '女' },
      age: { under18: '18岁以下', '18_35': '18-35岁', '36_59': '36-59岁', '60_69': '60-69岁', '70_plus': '70岁及以上' },
      st: { active: '在读', left: '已离开' }, src: { staff: '登记', checkin: '扫码' },
      m: { qr: '扫码', code: '签到码', staff: '教师标记' }, yes: '是', no: '否',
    },
  },
  en: {
    students: {
      menu: 'Students', title: 'Students', add: 'Enrol', edit: 'Edit student', export: 'Export Excel',
      org: 'Teaching point', name: 'Name', gender: 'Gender', ageGroup: 'Age group', phone: 'Phone', idNumber: 'ID number',
      informant: 'Science info officer', status: 'Status', source: 'Source', attendance: 'Check-ins', search: 'Search by name',
      phoneSearch: 'Whole phone number', empty: 'No students', history: 'Attendance', noHistory: 'No attendance yet',
      course: 'Course', time: 'Time', method: 'Method', saved: 'Saved', leaveConfirm: 'Mark "{name}" as left?',
      left: 'Marked as left', phoneKeep: 'Leave empty to keep (the stored number is not shown)', idKeep: 'Optional; empty keeps it',
      g: { male: 'Male', female: 'Female' },
      age: { under18: 'Under 18', '18_35': '18-35', '36_59': '36-59', '60_69': '60-69', '70_plus': '70+' },
      st: { active: 'Active', left: 'Left' }, src: { staff: 'Enrolled', checkin: 'Check-in' },
      m: { qr: 'QR code', code: 'Code', staff: 'Marked' }, yes: 'Yes', no: 'No',
    },
  },
}
