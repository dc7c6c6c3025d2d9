// Routes and the guard: every page but /login needs a session; pages carry the roles that may
// open them (the side menu is built from the same list).
import { createRouter, createWebHistory } from 'vue-router'
import Layout from './layout/Layout.vue'
import { user, restoreSession, hasRole } from './stores/session.js'
import { t } from './i18n/index.js'

const MANAGERS = ['admin', 'org_admin']
const STAFF_UP = ['admin', 'org_admin', 'staff']

// Pages inside the layout; `menu` puts them in the side menu, under the menu group `group` (the
// role's work: data, university, volunteer, review, literacy, system; texts bo.group.*). A detail page names
// the list it belongs to in `parent`, for the breadcrumb (首页 / group / list / detail).
export const pages = [
  { path: '', name: 'home', component: () => import('./views/home/Home.vue'),
    meta: { title: 'menu.home', icon: 'HomeFilled', menu: true } },
  { path: 'dashboard', name: 'dashboard', component: () => import('./views/dashboard/Dashboard.vue'),
    meta: { title: 'menu.dashboard', icon: 'DataLine', menu: true, group: 'data' } },
  { path: 'activities', name: 'activities', component: () => import('./views/activities/Activities.vue'),
    meta: { title: 'menu.activities', icon: 'Calendar', menu: true, group: 'data' } },
  { path: 'targets', name: 'targets', component: () => import('./views/targets/Targets.vue'),
    meta: { title: 'menu.targets', icon: 'Aim', menu: true, group: 'data' } },
  // notices (issue 16 A): the sent list and compose for the managers, the inbox for staff (icons Bell, Message)
  { path: 'notices', name: 'notices', component: () => import('./views/notices/NoticeList.vue'),
    meta: { title: 'notices.menu', icon: 'Bell', menu: true, roles: MANAGERS, group: 'work' } },
  { path: 'notices/inbox', name: 'notice-inbox', component: () => import('./views/notices/NoticeInbox.vue'),
    meta: { title: 'notices.inboxMenu', icon: 'Message', menu: true, roles: STAFF_UP, group: 'work' } },
  { path: 'notices/new', name: 'notice-new', component: () => import('./views/notices/NoticeCompose.vue'),
    meta: { title: 'notices.compose', roles: MANAGERS, parent: 'notices' } },
  { path: 'notices/:id/edit', name: 'notice-edit', component: () => import('./views/notices/NoticeCompose.vue'),
    meta: { title: 'notices.editTitle', roles: MANAGERS, parent: 'notices' } },
  { path: 'notices/:id/board', name: 'notice-board', component: () => import('./views/notices/NoticeBoard.vue'),
    meta: { title: 'notices.boardTitle', roles: STAFF_UP, parent: 'notices' } },
  { path: 'notices/:id', name: 'notice', component: () => import('./views/notices/NoticeView.vue'),
    meta: { title: 'notices.detailTitle', roles: STAFF_UP, parent: 'notice-inbox' } },
  // meetings (issue 16 B): the organizer's and the invited unit's pages, the door's QR screen
  { path: 'meetings', name: 'meetings', component: () => import('./views/meetings/Meetings.vue'),
    meta: { title: 'meetings.menu', icon: 'Microphone', menu: true, roles: STAFF_UP, group: 'work' } },
  { path: 'meetings/:id', name: 'meeting', component: () => import('./views/meetings/MeetingDetail.vue'),
    meta: { title: 'meetings.detail', roles: STAFF_UP, parent: 'meetings' } },
  { path: 'checkin/meeting/:id', name: 'checkin-meeting', component: () => import('./views/checkin/CheckinScreen.vue'),
    meta: { title: 'checkin.screenTitle', roles: STAFF_UP, parent: 'meetings', kind: 'meeting' } },

  // issue 16 C: work points (工作要点) and their tasks
  { path: 'work-plans', name: 'work-plans', component: () => import('./views/tasks/WorkPlans.vue'),
    meta: { title: 'tasks.menuPlans', icon: 'Memo', menu: true, roles: MANAGERS, group: 'work' } },
  { path: 'work-plans/:id', name: 'work-plan', component: () => import('./views/tasks/PlanEditor.vue'),
    meta: { title: 'tasks.planDetail', roles: MANAGERS, parent: 'work-plans' } },
  { path: 'work-plans/:id/page', name: 'work-plan-page', component: () => import('./views/tasks/PlanPage.vue'),
    meta: { title: 'tasks.pageTitle', roles: STAFF_UP, parent: 'work-plans' } },
  { path: 'tasks/board', name: 'task-board', component: () => import('./views/tasks/TaskBoard.vue'),
    meta: { title: 'tasks.menuBoard', icon: 'Odometer', menu: true, roles: MANAGERS, group: 'work' } },
  { path: 'tasks/mine', name: 'my-tasks', component: () => import('./views/tasks/MyTasks.vue'),
    meta: { title: 'tasks.menuMine', icon: 'Finished', menu: true, roles: STAFF_UP, group: 'work' } },
  { path: 'tasks/:id', name: 'task', component: () => import('./views/tasks/TaskDetail.vue'),
    meta: { title: 'tasks.detailTitle', roles: STAFF_UP, parent: 'my-tasks' } },
  // issue 16 E: the district assessment (目标管理考核); a district reads its own scores there
  { path: 'assessments', name: 'assessments', component: () => import('./views/assessments/Assessments.vue'),
    meta: { title: 'assessments.menu', icon: 'DataAnalysis', menu: true, roles: STAFF_UP, group: 'work' } },
  { path: 'assessments/:id', name: 'assessment', component: () => import('./views/assessments/AssessmentDetail.vue'),
    meta: { title: 'assessments.detailTitle', roles: STAFF_UP, parent: 'assessments' } },
  { path: 'forms', name: 'forms', component: () => import('./views/forms/Forms.vue'),
    meta: { title: 'menu.forms', icon: 'Tickets', menu: true, roles: STAFF_UP, group: 'data' } },
  { path: 'forms/:id', name: 'form', component: () => import('./views/forms/FormDetail.vue'),
    meta: { title: 'bo.formDetail', roles: STAFF_UP, parent: 'forms' } },
  // teaching: teachers, certification, letters, excellent teachers (icons Reading, Medal)
  { path: 'teachers', name: 'teachers', component: () => import('./views/teachers/Teachers.vue'),
    meta: { title: 'teachers.menu', icon: 'Reading', menu: true, group: 'university' } },
  { path: 'teachers/:id', name: 'teacher', component: () => import('./views/teachers/TeacherDetail.vue'),
    meta: { title: 'teachers.detailTitle', parent: 'teachers' } },
  { path: 'teacher-selections', name: 'teacher-selections', component: () => import('./views/teachers/Selections.vue'),
    meta: { title: 'teachers.menuSelection', icon: 'Medal', menu: true, group: 'review' } },

  // teaching: plans, review, courses (icons Notebook, School)
  { path: 'plans', name: 'plans', component: () => import('./views/plans/Plans.vue'),
    meta: { title: 'plans.menu', icon: 'Notebook', menu: true, group: 'university' } },
  { path: 'plans/:id', name: 'plan', component: () => import('./views/plans/PlanDetail.vue'),
    meta: { title: 'bo.planDetail', parent: 'plans' } },
  { path: 'courses', name: 'courses', component: () => import('./views/courses/Courses.vue'),
    meta: { title: 'courses.menu', icon: 'School', menu: true, group: 'university' } },
  // issue 18 U: the resource library (资源库), read by every role of a node (teachers too), icon Film
  { path: 'resources', name: 'resources', component: () => import('./views/resources/Resources.vue'),
    meta: { title: 'resources.menu', icon: 'Film', menu: true, group: 'university' } },
  // teaching: students and check-in (icon User)
  { path: 'students', name: 'students', component: () => import('./views/students/Students.vue'),
    meta: { title: 'students.menu', icon: 'UserFilled', menu: true, group: 'university' } },
  { path: 'checkin/course/:id', name: 'checkin-course', component: () => import('./views/checkin/CheckinScreen.vue'),
    meta: { title: 'checkin.screenTitle', roles: STAFF_UP, parent: 'courses' } },

  // volunteers: teams, volunteers (icons Flag, Avatar)
  { path: 'volunteer-teams', name: 'volunteer-teams', component: () => import('./views/volunteers/Teams.vue'),
    meta: { title: 'volunteers.teamsMenu', icon: 'Flag', menu: true, roles: STAFF_UP, group: 'volunteer' } },
  { path: 'volunteer-teams/:id', name: 'volunteer-team', component: () => import('./views/volunteers/TeamDetail.vue'),
    meta: { title: 'volunteers.teamTitle', roles: STAFF_UP, parent: 'volunteer-teams' } },
  { path: 'volunteers', name: 'volunteers', component: () => import('./views/volunteers/Volunteers.vue'),
    meta: { title: 'volunteers.menu', icon: 'Avatar', menu: true, roles: STAFF_UP, group: 'volunteer' } },
  { path: 'volunteers/:id', name: 'volunteer', component: () => import('./views/volunteers/VolunteerDetail.vue'),
    meta: { title: 'volunteers.detailTitle', roles: STAFF_UP, parent: 'volunteers' } },
  { path: 'volunteer-projects', name: 'volunteer-projects', component: () => import('./views/volunteers/Projects.vue'),
    meta: { title: 'vp.menu', icon: 'Promotion', menu: true, roles: STAFF_UP, group: 'volunteer' } },
  { path: 'volunteer-projects/:id', name: 'volunteer-project', component: () => import('./views/volunteers/ProjectDetail.vue'),
    meta: { title: 'vp.detail', roles: STAFF_UP, parent: 'volunteer-projects' } },
  { path: 'volunteer-duty', name: 'volunteer-duty', component: () => import('./views/volunteers/Duty.vue'),
    meta: { title: 'vp.dutyMenu', icon: 'Clock', menu: true, roles: STAFF_UP, group: 'volunteer' } },

  // calls (F1): the staff pages of calls and reviews, and the titles (icons Trophy, Stamp)
  { path: 'calls', name: 'calls', component: () => import('./views/calls/CallList.vue'),
    meta: { title: 'calls.menu', icon: 'Trophy', menu: true, roles: MANAGERS, group: 'review' } },
  { path: 'calls/new', name: 'call-new', component: () => import('./views/calls/CallDesigner.vue'),
    meta: { title: 'calls.newTitle', roles: MANAGERS, parent: 'calls' } },
  { path: 'calls/:id/edit', name: 'call-edit', component: () => import('./views/calls/CallDesigner.vue'),
    meta: { title: 'calls.editTitle', roles: MANAGERS, parent: 'calls' } },
  { path: 'calls/:id/board', name: 'call-board', component: () => import('./views/calls/ProgressBoard.vue'),
    meta: { title: 'calls.board', roles: MANAGERS, parent: 'calls' } },
  { path: 'calls/:id', name: 'call', component: () => import('./views/calls/CallDetail.vue'),
    meta: { title: 'calls.detailTitle', roles: MANAGERS, parent: 'calls' } },
  { path: 'designations', name: 'designations', component: () => import('./views/calls/Designations.vue'),
    meta: { title: 'calls.designationsMenu', icon: 'Stamp', menu: true, roles: STAFF_UP, group: 'review' } },


  { path: 'orgs', name: 'orgs', component: () => import('./views/orgs/Orgs.vue'),
    meta: { title: 'menu.orgs', icon: 'OfficeBuilding', menu: true, roles: MANAGERS, group: 'system' } },
  { path: 'users', name: 'users', component: () => import('./views/users/Users.vue'),
    meta: { title: 'menu.users', icon: 'User', menu: true, roles: MANAGERS, group: 'system' } },
  { path: 'audit', name: 'audit', component: () => import('./views/audit/Audit.vue'),
    meta: { title: 'menu.audit', icon: 'Document', menu: true, roles: STAFF_UP, group: 'system' } },
  { path: 'audit/logins', name: 'logins', component: () => import('./views/audit/Logins.vue'),
    meta: { title: 'menu.logins', icon: 'Key', menu: true, roles: MANAGERS, group: 'system' } },
  { path: 'settings/dictionaries', name: 'dictionaries',
    component: () => import('./views/settings/Dictionaries.vue'),
    meta: { title: 'menu.dictionaries', icon: 'Setting', menu: true, roles: ['admin'], group: 'system' } },
  { path: 'profile', name: 'profile', component: () => import('./views/profile/Profile.vue'),
    meta: { title: 'menu.profile' } },
  // calls (F2): the unit's calls and entries, the reviewer's sheets
  { path: 'my-calls', name: 'my-calls', component: () => import('./views/calls/MyCalls.vue'),
    meta: { title: 'callEntry.myCalls', icon: 'EditPen', menu: true, roles: STAFF_UP, group: 'review' } },
  { path: 'my-calls/:callId/new', name: 'entry-new', component: () => import('./views/calls/EntryForm.vue'),
    meta: { title: 'callEntry.newEntry', roles: STAFF_UP, parent: 'my-calls' } },
  { path: 'entries/:id', name: 'entry', component: () => import('./views/calls/EntryForm.vue'),
    meta: { title: 'callEntry.entry', roles: STAFF_UP, parent: 'my-calls' } },
  { path: 'reviews', name: 'reviews', component: () => import('./views/calls/ReviewerWorkspace.vue'),
    meta: { title: 'callEntry.reviews', icon: 'DocumentChecked', menu: true, group: 'review' } },
  { path: 'reviews/:id', name: 'review', component: () => import('./views/calls/ReviewerSheet.vue'),
    meta: { title: 'callEntry.sheet', parent: 'reviews' } },
  // experts (L): the expert pool (专家库), for the managers
  { path: 'experts', name: 'experts', component: () => import('./views/calls/Experts.vue'),
    meta: { title: 'callExperts.menu', icon: 'Postcard', menu: true, roles: MANAGERS, group: 'review' } },
  // issue 17 A: the question bank (题库), first page of the group 科学素质 (literacy)
  { path: 'questions', name: 'questions', component: () => import('./views/questions/Questions.vue'),
    meta: { title: 'questions.menu', icon: 'QuestionFilled', menu: true, roles: STAFF_UP, group: 'literacy' } },
  // issue 17 E: contests (竞赛) under 科学素质, for staff and up; the detail's rankings, attempts, certificates
  { path: 'contests', name: 'contests', component: () => import('./views/contests/Contests.vue'),
    meta: { title: 'contests.menu', icon: 'Timer', menu: true, roles: STAFF_UP, group: 'literacy' } },
  { path: 'contests/:id', name: 'contest', component: () => import('./views/contests/ContestDetail.vue'),
    meta: { title: 'contests.detailTitle', roles: STAFF_UP, parent: 'contests' } },
  // issue 17 C: literacy surveys (素质调查), group 科学素质
  { path: 'literacy-surveys', name: 'literacy-surveys', component: () => import('./views/literacy/Surveys.vue'),
    meta: { title: 'literacy.menu', icon: 'TrendCharts', menu: true, roles: STAFF_UP, group: 'literacy' } },
  // issue 18 D: 科普e站 screens (屏幕, 播放列表, 管理员 as tabs), group 工作督办
  { path: 'screens', name: 'screens', component: () => import('./views/screens/Screens.vue'),
    meta: { title: 'screens.menu', icon: 'Monitor', menu: true, roles: STAFF_UP, group: 'work' } },
]

// experts (L): a user of the role reviewer opens its sheets and its profile only (hasRole lets
// that role through only where a page lists it), so those pages name every role.
for (const p of pages) {
  if (['reviews', 'review', 'profile'].includes(p.name)) {
    p.meta.roles = ['admin', 'org_admin', 'staff', 'teacher', 'volunteer', 'reviewer']
  }
}

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/auth/Login.vue'),
    meta: { title: 'login.title', public: true } },
  // public pages (no login): the verification of letters and certificates
  { path: '/verify/letters/:code', name: 'verify-letter', component: () => import('./views/verify/LetterVerify.vue'),
    meta: { title: 'teachers.verifyTitle', public: true } },
  { path: '/c/:session/:token', name: 'checkin-phone', component: () => import('./views/checkin/CheckinPhone.vue'),
    meta: { title: 'checkin.phoneTitle', public: true } },

  // volunteers: the public registration page
  { path: '/v/register', name: 'volunteer-register', component: () => import('./views/volunteers/RegisterPhone.vue'),
    meta: { title: 'volunteers.registerTitle', public: true } },
  { path: '/v/me', name: 'volunteer-phone', component: () => import('./views/volunteers/VolunteerPhone.vue'),
    meta: { title: 'vp.phoneTitle', public: true } },
  { path: '/v/cert/:code', name: 'verify-cert', component: () => import('./views/verify/CertVerify.vue'),
    meta: { title: 'vp.verifyTitle', public: true } },
  // calls (F2): public results, 公示 with objections, titles, award certificate verification
  { path: '/public/calls/:id/results', name: 'public-results', component: () => import('./views/calls/PublicResults.vue'),
    meta: { title: 'callEntry.resultsTitle', public: true } },
  { path: '/public/calls/:id/publicity', name: 'public-publicity', component: () => import('./views/calls/PublicPublicity.vue'),
    meta: { title: 'callEntry.publicityTitle', public: true } },
  { path: '/public/designations', name: 'public-designations', component: () => import('./views/calls/PublicDesignations.vue'),
    meta: { title: 'callEntry.titlesTitle', public: true } },
  { path: '/verify/awards/:code', name: 'verify-award', component: () => import('./views/calls/PublicAwardVerify.vue'),
    meta: { title: 'callEntry.awardVerifyTitle', public: true } },
  // notices (issue 16 A): the public 通知公告
  { path: '/public/notices', name: 'public-notices', component: () => import('./views/notices/PublicNotices.vue'),
    meta: { title: 'notices.publicTitle', public: true } },
  { path: '/public/notices/:id', name: 'public-notice', component: () => import('./views/notices/PublicNotice.vue'),
    meta: { title: 'notices.publicTitle', public: true } },
  // issue 17 E: the phone's contest pages (the open ones, landing and registration, the paper, the ranking)
  { path: '/contest', name: 'contest-open', component: () => import('./views/contests/phone/ContestList.vue'),
    meta: { title: 'contests.phoneTitle', public: true } },
  { path: '/contest/:id', name: 'contest-phone', component: () => import('./views/contests/phone/ContestPhone.vue'),
    meta: { title: 'contests.phoneTitle', public: true } },
  { path: '/contest/:id/paper', name: 'contest-paper', component: () => import('./views/contests/phone/ContestPaper.vue'),
    meta: { title: 'contests.paperTitle', public: true } },
  { path: '/contest-cert/:code', name: 'contest-cert', component: () => import('./views/contests/phone/ContestCertVerify.vue'),
    meta: { title: 'contests.cert.title', public: true } },
  { path: '/contest/:id/ranking', name: 'contest-ranking', component: () => import('./views/contests/phone/ContestRanking.vue'),
    meta: { title: 'contests.rankingTitle', public: true } },
  // issue 18 D: /kiosk (the address staff type on a screen) is the static kiosk page, outside the app
  { path: '/kiosk/:rest(.*)*', name: 'kiosk', component: () => import('./components/NotFound.vue'),
    beforeEnter: () => { window.location.replace('/kiosk/index.html'); return false },
    meta: { title: 'screens.menu', public: true } },
  { path: '/', component: Layout, children: pages },
  { path: '/:rest(.*)*', redirect: '/' },
]

const router = createRouter({ history: createWebHistory(), routes })

// experts (L): before the guard below, a reviewer sent to a page it may not open (首页 included)
// goes to 我的评审 instead of '/', which it may not open either.
router.beforeEach(async (to) => {
  if (to.meta.public || !await restoreSession()) return true
  return user.value?.role === 'reviewer' && !hasRole(to.meta.roles) ? '/reviews' : true
})

// The session is the HttpOnly cookie: after a reload GET /me (restoreSession) tells whether it
// still holds. Public pages other than the login page never ask.
router.beforeEach(async (to) => {
  if (to.meta.public) {
    return to.name === 'login' && await restoreSession() ? '/' : true
  }
  if (!await restoreSession()) return { path: '/login', query: { redirect: to.fullPath } }
  if (!hasRole(to.meta.roles)) return '/'
  return true
})

router.afterEach((to) => {
  document.title = `${t(to.meta.title || 'app.title')} - ${t('app.title')}`
})

export default router
