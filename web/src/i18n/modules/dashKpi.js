// Texts of the dashboard's teaching and volunteer KPIs and of every KPI's sources (issue 14
// item 23): which records a figure adds up, shown in a tooltip on the card.
export default {
  zh: {
    dashKpi: {
      register: '科普活动（活动登记与定期报表）', service: '社区科普大学 · 科技志愿服务',
      metrics: {
        courses: '开课次数', attendance: '到课人次', teaching_hours: '授课课时', registered_volunteers: '在册志愿者',
        volunteer_teams: '在册服务队', volunteer_activities: '志愿服务活动', people_served: '受益群众',
      },
      units: {
        courses: '次', attendance: '人次', teaching_hours: '课时', registered_volunteers: '人', volunteer_teams: '支',
        volunteer_activities: '场', people_served: '人次',
      },
      standing: '截至 {d}',
      parts: { activities: '活动登记', report_forms: '定期报表', volunteer_service: '志愿项目服务' },
      sources: {
        activities: '来源：活动登记（本机构及全部下级，按活动开始日计入）+ 已提交定期报表的活动场次',
        participants: '来源：活动登记各活动的参与人次 + 已提交定期报表的参与人次',
        materials: '来源：活动登记各活动的发放资料份数 + 已提交定期报表的份数',
        videos: '来源：活动登记各活动的视频作品数 + 已提交定期报表的视频数',
        views: '来源：活动登记各活动的浏览量 + 已提交定期报表的浏览量',
        volunteers: '来源：活动登记的志愿者人次 + 已提交定期报表的人次 + 志愿项目中已确认并计时的报名人次',
        volunteer_hours: '来源：活动登记的志愿服务时长 + 已提交定期报表的时长 + 志愿项目已确认的服务时长（每人次四舍五入到小时）',
        funds: '来源：活动登记各活动的科普经费 + 已提交定期报表的经费（退回的报表不计）',
        courses: '来源：课程，已开课的课程次数（教学点排课并标记已开课，按上课日计入）',
        attendance: '来源：课程，已开课课程的到课人次（签到或登记）',
        teaching_hours: '来源：课程，已开课课程的课时之和',
        registered_volunteers: '来源：志愿者名册，截至期末仍在册的志愿者（不含已退出）',
        volunteer_teams: '来源：服务队名册，截至期末未解散的科技志愿服务队',
        volunteer_activities: '来源：志愿项目，已确认服务时长且有志愿者到场的项目场次',
        people_served: '来源：志愿项目，已发布或已结束项目填报的受益群众人次',
      },
    },
    dashMap: {
      hint: '{n} 个区县按行政区划代码对应地图，颜色越深数值越高，点击进入下级',
      rest: '无地图边界的单位 {n} 个（如开发区），以色块显示：',
    },
  },
  en: {
    dashKpi: {
      register: 'Activities (register and report forms)', service: 'Community science university · Volunteer service',
      metrics: {
        courses: 'Courses held', attendance: 'Attendance', teaching_hours: 'Teaching hours',
        registered_volunteers: 'Volunteers on record', volunteer_teams: 'Teams on record',
        volunteer_activities: 'Volunteer activities', people_served: 'People served',
      },
      units: {
        courses: '', attendance: '', teaching_hours: 'h', registered_volunteers: '', volunteer_teams: '',
        volunteer_activities: '', people_served: '',
      },
      standing: 'as of {d}',
      parts: { activities: 'Activity register', report_forms: 'Report forms', volunteer_service: 'Volunteer projects' },
      sources: {
        activities: 'Sources: activity register (this unit and all below, by start day) + activities in submitted report forms',
        participants: 'Sources: participants per registered activity + participants in submitted report forms',
        materials: 'Sources: materials per registered activity + materials in submitted report forms',
        videos: 'Sources: videos per registered activity + videos in submitted report forms',
        views: 'Sources: views per registered activity + views in submitted report forms',
        volunteers: 'Sources: volunteers in the activity register + in submitted report forms + confirmed, credited volunteer project sign-ups',
        volunteer_hours: 'Sources: volunteer hours in the activity register + in submitted report forms + confirmed volunteer project hours (rounded per sign-up)',
        funds: 'Sources: funds per registered activity + funds in submitted report forms (returned reports excluded)',
        courses: 'Source: courses marked held at the teaching points (by the course day)',
        attendance: 'Source: attendance of held courses (check-ins or entered)',
        teaching_hours: 'Source: hours of held courses',
        registered_volunteers: 'Source: volunteer roll, volunteers on record at the period end (not those who left)',
        volunteer_teams: 'Source: team roll, teams not dissolved at the period end',
        volunteer_activities: 'Source: volunteer projects with confirmed hours and someone present',
        people_served: 'Source: people served entered on published or finished volunteer projects',
      },
    },
    dashMap: {
      hint: '{n} districts matched to the map by their GB/T 2260 codes; darker is higher, click to open',
      rest: '{n} units without a shape (e.g. development zones), as tiles:',
    },
  },
}
