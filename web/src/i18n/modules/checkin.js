// Texts of the check-in pages (namespace `checkin`): the teacher's screen and the phone's page.
export default {
  zh: {
    checkin: {
      button: '签到', screenTitle: '扫码签到', scan: '请用手机扫描二维码签到', code: '签到码', codeHint: '无法扫码？打开链接后输入签到码',
      count: '已签到', people: '人', refreshIn: '{s} 秒后刷新', closed: '签到已关闭', windowClosed: '当前不在签到时间内',
      close: '结束签到', reopen: '重新开放', closeConfirm: '确定结束本次签到？', attendees: '签到名单', mark: '补签学员',
      markHint: '选择本教学点学员', marked: '已补签', remove: '移除', back: '返回课程',
      phoneTitle: '课程签到', place: '地点', time: '时间', name: '姓名', phone: '手机号', submit: '签到',
      oneTap: '一键签到', notMe: '不是我，重新填写', welcome: '欢迎，{name}', success: '签到成功', already: '您已签到，无需重复签到',
      expired: '二维码已过期，请重新扫描老师屏幕上的二维码', invalid: '二维码无效，请扫描老师屏幕上的二维码',
      window: '不在签到时间内', useCode: '输入签到码', codeLabel: '6 位签到码', loading: '正在打开…',
      namePh: '请输入姓名', phonePh: '请输入 11 位手机号', phoneBad: '请输入正确的手机号', nameBad: '请输入姓名',
      privacy: '手机号仅用于学员登记，加密保存，不会公开。',
    },
  },
  en: {
    checkin: {
      button: 'Check-in', screenTitle: 'QR check-in', scan: 'Scan the QR code with your phone', code: 'Code', codeHint: 'Cannot scan? Open the link and type the code',
      count: 'Checked in', people: '', refreshIn: 'refreshes in {s} s', closed: 'Check-in closed', windowClosed: 'Check-in is not open now',
      close: 'End check-in', reopen: 'Reopen', closeConfirm: 'End this check-in?', attendees: 'Attendees', mark: 'Mark students',
      markHint: 'Students of the point', marked: 'Marked', remove: 'Remove', back: 'Back to courses',
      phoneTitle: 'Course check-in', place: 'Place', time: 'Time', name: 'Name', phone: 'Phone', submit: 'Check in',
      oneTap: 'Check in', notMe: 'Not me: enter again', welcome: 'Welcome, {name}', success: 'Checked in', already: 'Already checked in',
      expired: 'The code has expired: scan the one on the teacher\'s screen again', invalid: 'Invalid code: scan the one on the teacher\'s screen',
      window: 'Check-in is not open now', useCode: 'Enter the code', codeLabel: '6-digit code', loading: 'Opening…',
      namePh: 'Your name', phonePh: '11-digit mobile number', phoneBad: 'Enter a valid mobile number', nameBad: 'Enter your name',
      privacy: 'Your phone is used only to enrol you, stored encrypted and never shown.',
    },
  },
}
