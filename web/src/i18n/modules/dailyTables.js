// Texts of issue 14's table and form work (wide tables, print, attachments on registering,
// course teachers from the pool): one namespace, dailyTables.
export default {
  zh: {
    dailyTables: {
      attachments: '照片/附件', chooseFiles: '选择文件', uploadAfterSave: '保存活动后自动上传',
      savedWithFiles: '已保存，并上传 {n} 个附件', uploadFailed: '活动已保存，但以下附件未能上传：{files}。可在活动详情中重新上传。',
      print: '打印', printTitle: '{title}（打印于 {time}）',
      guest: '外聘', guestSpeaker: '外聘讲师（不在师资库）', poolTeacher: '师资库教师', pickTeacher: '搜索师资库教师（姓名）',
      guestName: '外聘讲师姓名', guestHint: '仅用于不在师资库中的外聘嘉宾或讲座讲师',
    },
  },
  en: {
    dailyTables: {
      attachments: 'Photos / files', chooseFiles: 'Choose files', uploadAfterSave: 'uploaded when the activity is saved',
      savedWithFiles: 'Saved, {n} file(s) uploaded', uploadFailed: 'The activity is saved, but these files were not uploaded: {files}. Upload them again from the activity.',
      print: 'Print', printTitle: '{title} (printed {time})',
      guest: 'Guest', guestSpeaker: 'Guest speaker (not in the pool)', poolTeacher: 'Teacher from the pool', pickTeacher: 'Search the teacher pool (name)',
      guestName: 'Guest speaker name', guestHint: 'Only for a guest or lecturer who is not in the teacher pool',
    },
  },
}
