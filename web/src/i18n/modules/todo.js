// Texts of the to-do home (待办), the bell and the reminder settings (issue 16 D). Other packages
// add their own kinds' labels under todo.kind in their modules (i18n/index.js merges deeply).
export default {
  zh: {
    todo: {
      title: '待办', empty: '暂无待办', more: '查看全部', due: '{d} 截止', overdue: '已逾期 {n} 天',
      bell: '提醒', notifications: '站内提醒', readAll: '全部已读', noNotifications: '暂无提醒',
      kind: {
        plan_review: '待审核的教学计划', form_due: '待填报的报表', call_entry_due: '待申报的征集',
        review_assigned: '待完成的评审', hours_confirm: '待确认的服务时长', volunteer_approve: '待审核的志愿者',
        notice_unread: '未读的通知', notice_reply: '待报送的回执', meeting_register: '待报名的会议',
        meeting_upcoming: '即将召开的会议', task_due: '待完成的任务',
      },
      prefs: {
        title: '提醒设置', app: '站内提醒', always: '始终开启', email: '邮件提醒', sms: '短信提醒',
        leadDays: '截止前提醒', daysBefore: '提前 {n} 天',
      },
    },
    auditEntity: { notify_prefs: '提醒设置' },
  },
  en: {
    todo: {
      title: 'To-do', empty: 'Nothing waiting', more: 'See all', due: 'due {d}', overdue: '{n} days overdue',
      bell: 'Notifications', notifications: 'Notifications', readAll: 'Mark all read', noNotifications: 'No notifications',
      kind: {
        plan_review: 'Plans to review', form_due: 'Report forms due', call_entry_due: 'Calls to enter',
        review_assigned: 'Reviews assigned', hours_confirm: 'Service hours to confirm', volunteer_approve: 'Volunteers to approve',
        notice_unread: 'Notices unread', notice_reply: 'Replies owed', meeting_register: 'Meetings to register for',
        meeting_upcoming: 'Meetings coming up', task_due: 'Tasks due',
      },
      prefs: {
        title: 'Reminders', app: 'In the app', always: 'Always on', email: 'By e-mail', sms: 'By text message',
        leadDays: 'Before a deadline', daysBefore: '{n} days before',
      },
    },
    auditEntity: { notify_prefs: 'Reminder settings' },
  },
}
