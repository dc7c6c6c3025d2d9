// A small i18n of our own: zh-CN first, English second; the choice is kept in localStorage.
import { ref } from 'vue'

const messages = {
  zh: {
    title: '科普工作管理与服务平台', login: '登录', username: '用户名', password: '密码',
    home: '首页', orgs: '组织机构', users: '用户管理', audit: '审计日志', logins: '登录日志',
    profile: '个人中心', logout: '退出登录', welcome: '欢迎', org: '所属机构', role: '角色',
    scope: '数据权限', visibleOrgs: '可见机构', visibleUsers: '可见用户', search: '搜索',
    addChild: '新增下级', edit: '编辑', move: '移动', delete: '删除', name: '名称', type: '类型',
    code: '代码', path: '路径', save: '保存', cancel: '取消', confirmDelete: '确定删除该机构吗？',
    newParent: '新的上级机构', create: '新增', active: '状态', enabled: '启用', disabled: '停用',
    resetPassword: '重置密码', phone: '手机号', email: '邮箱', actions: '操作', time: '时间',
    entity: '对象', action: '动作', changes: '变更内容', user: '用户', result: '结果', ip: 'IP',
    success: '成功', failure: '失败', oldPassword: '原密码', newPassword: '新密码',
    changePassword: '修改密码', saved: '已保存', selectNode: '请在左侧选择一个机构', all: '全部',
    from: '开始日期', to: '结束日期', reason: '原因',
  },
  en: {
    title: 'Kepu Science Popularization Platform', login: 'Log in', username: 'Username',
    password: 'Password', home: 'Home', orgs: 'Organizations', users: 'Users', audit: 'Audit log',
    logins: 'Login log', profile: 'Profile', logout: 'Log out', welcome: 'Welcome', org: 'Organization',
    role: 'Role', scope: 'Data scope', visibleOrgs: 'Visible organizations', visibleUsers: 'Visible users',
    search: 'Search', addChild: 'Add child', edit: 'Edit', move: 'Move', delete: 'Delete', name: 'Name',
    type: 'Type', code: 'Code', path: 'Path', save: 'Save', cancel: 'Cancel',
    confirmDelete: 'Delete this organization?', newParent: 'New parent', create: 'New', active: 'Status',
    enabled: 'Active', disabled: 'Disabled', resetPassword: 'Reset password', phone: 'Phone',
    email: 'E-mail', actions: 'Actions', time: 'Time', entity: 'Entity', action: 'Action',
    changes: 'Changes', user: 'User', result: 'Result', ip: 'IP', success: 'Success', failure: 'Failure',
    oldPassword: 'Current password', newPassword: 'New password', changePassword: 'Change password',
    saved: 'Saved', selectNode: 'Select an organization on the left', all: 'All', from: 'From', to: 'To',
    reason: 'Reason',
  },
}

export const orgTypes = {
  city: ['市科协', 'City association'], district: ['区县科协', 'District'], street: ['街道/镇乡', 'Street / town'],
  point: ['教学点', 'Teaching point'], society: ['学会', 'Society'], base: ['科普教育基地', 'Science base'],
  unit: ['企事业科协', 'Unit association'],
}
export const roles = {
  admin: ['系统管理员', 'Administrator'], org_admin: ['机构管理员', 'Org admin'], staff: ['工作人员', 'Staff'],
  teacher: ['教师', 'Teacher'], volunteer: ['志愿者', 'Volunteer'],
}
export const scopes = {
  all: ['全部数据', 'All data'], subtree: ['本级及下级', 'Own node and below'], org: ['仅本级', 'Own node only'],
  self: ['仅本人', 'Own records only'],
}

export const lang = ref(localStorage.getItem('kepu_lang') || 'zh')
export function setLang(l) { lang.value = l; localStorage.setItem('kepu_lang', l) }
export function t(key) { return messages[lang.value][key] ?? key }
export function label(dict, key) { const v = dict[key]; return v ? v[lang.value === 'zh' ? 0 : 1] : key }
