// Texts of the teacher's page section "teaching" and of course ratings (namespace `teacherpage`):
// the figures and recent courses on TeacherDetail, the phone's stars after check-in, and the
// rating shown with a course.
export default {
  zh: {
    teacherpage: {
      ratingShort: '评分', section: '授课情况', scopeHint: '统计您可见范围内署名该教师的课程', held: '已授课', scheduled: '待开课',
      cancelled: '已取消', hours: '授课课时', attendance: '累计出勤', rating: '学员评分', ratingCount: '{n} 人评价',
      noRating: '暂无评价', recent: '最近课程', upcoming: '即将开课', noCourses: '暂无署名该教师的课程',
      day: '日期', point: '教学点', title: '课程', status: '状态', people: '人次', unit: '节', times: '次',
      rateTitle: '为本次课程评分', rateHint: '您的评价将帮助老师改进课程（匿名展示）', commentPh: '说说您的感受（选填，200 字以内）',
      rateSubmit: '提交评价', rated: '感谢您的评价！', replaced: '已更新您的评价', rateAgain: '修改评价',
      starsRequired: '请先选择星级', notCheckedIn: '签到后才能评价', closed: '评价已截止',
      starTexts: ['很差', '较差', '一般', '满意', '非常满意'], starsChosen: '{n} 星',
    },
  },
  en: {
    teacherpage: {
      ratingShort: 'Rating', section: 'Teaching', scopeHint: 'Courses naming this teacher within your scope', held: 'Held', scheduled: 'Scheduled',
      cancelled: 'Cancelled', hours: 'Teaching hours', attendance: 'Attendance', rating: 'Rating', ratingCount: '{n} ratings',
      noRating: 'No ratings yet', recent: 'Recent courses', upcoming: 'Coming up', noCourses: 'No course names this teacher yet',
      day: 'Date', point: 'Point', title: 'Course', status: 'Status', people: '', unit: 'h', times: '',
      rateTitle: 'Rate this course', rateHint: 'Your rating helps the teacher improve (shown without your name)',
      commentPh: 'Your thoughts (optional, up to 200 characters)', rateSubmit: 'Send rating', rated: 'Thank you for rating!',
      replaced: 'Your rating was updated', rateAgain: 'Change rating', starsRequired: 'Choose the stars first',
      notCheckedIn: 'Only those who checked in may rate', closed: 'Rating has closed',
      starTexts: ['Poor', 'Fair', 'Average', 'Good', 'Excellent'], starsChosen: '{n} stars',
    },
  },
}
