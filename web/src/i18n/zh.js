// Simplified Chinese texts (the default language).
export default {
  app: { title: '科普工作管理与服务平台', short: '科普平台', subtitle: '科协科普工作管理与服务' },
  menu: {
    dashboard: '数据看板', activities: '活动登记', targets: '目标任务', forms: '定期报表', dictionaries: '字典设置',
    home: '首页', orgs: '组织机构', users: '用户管理', audit: '审计日志', logins: '登录日志',
    profile: '个人中心', logout: '退出登录', system: '系统管理', toggle: '菜单',
  },
  common: {
    search: '搜索', reset: '重置', add: '新增', edit: '编辑', delete: '删除', save: '保存',
    cancel: '取消', confirm: '确定', actions: '操作', all: '全部', yes: '是', no: '否',
    saved: '保存成功', deleted: '删除成功', tip: '提示', language: 'English', none: '—',
    loading: '加载中…', required: '此项为必填项', refresh: '刷新', details: '详情',
    columns: '列设置', columnsReset: '显示全部列', selected: '已选 {n} 项',
  },
  login: {
    title: '用户登录', username: '用户名', password: '密码', submit: '登 录',
    usernameRequired: '请输入用户名', passwordRequired: '请输入密码', failed: '登录失败',
  },
  home: {
    welcome: '欢迎回来，{name}', org: '所属机构', role: '角色', scope: '数据权限',
    orgCount: '可见机构数', userCount: '可见用户数', lastLogin: '最近登录',
    quick: '快捷入口', intro: '在这里管理本级及下级的组织机构、用户与操作记录。',
  },
  orgs: {
    tree: '机构树', filter: '输入名称筛选', details: '机构详情', selectHint: '请在左侧选择一个机构',
    addChild: '新增下级', move: '移动', name: '名称', type: '类型', code: '代码', path: '路径',
    parent: '上级机构', depth: '层级', children: '直属下级', createdAt: '创建时间', updatedAt: '更新时间',
    newParent: '新的上级机构', moveTitle: '移动机构', moveHint: '将“{name}”及其全部下级移动到：',
    moveConfirm: '确定将“{name}”移动到“{parent}”下吗？', deleteConfirm: '确定删除机构“{name}”吗？此操作不可撤销。',
    addTitle: '新增下级机构（上级：{parent}）', editTitle: '编辑机构', moved: '移动成功',
    nameRequired: '请输入名称', typeRequired: '请选择类型', codeRule: '代码为 1–32 位字母、数字、下划线或短横线',
    parentRequired: '请选择新的上级机构', id: 'ID',
  },
  users: {
    username: '用户名', name: '姓名', org: '所属机构', role: '角色', scope: '数据权限',
    active: '状态', enabled: '正常', disabled: '停用', enable: '启用', disable: '停用',
    phone: '手机号', email: '邮箱', password: '初始密码', lastLogin: '最近登录',
    searchPlaceholder: '用户名或姓名', orgFilter: '按机构筛选', createTitle: '新增用户',
    editTitle: '编辑用户', resetPassword: '重置密码', resetPrompt: '请输入“{name}”的新密码（至少 10 位）',
    resetDone: '密码已重置，该用户需重新登录', toggleConfirm: '确定{action}用户“{name}”吗？',
    passwordRule: '密码至少 10 位，且不能与用户名相同', usernameRule: '3–32 位字母、数字或 _ . -',
    phoneRule: '请输入正确的手机号', emailRule: '请输入正确的邮箱', orgRequired: '请选择所属机构',
  },
  audit: {
    at: '时间', user: '操作人', entity: '对象类型', entityId: '对象 ID', action: '动作',
    subject: '对象名称', ip: 'IP 地址', requestId: '请求 ID', changes: '变更内容', field: '字段',
    before: '变更前', after: '变更后', dateRange: '日期范围', from: '开始日期', to: '结束日期',
    noChanges: '无字段变更',
  },
  logins: {
    at: '时间', username: '用户名', success: '结果', ok: '成功', fail: '失败', reason: '原因',
    ip: 'IP 地址', userAgent: '客户端',
  },
  profile: {
    info: '基本信息', edit: '修改资料', password: '修改密码', oldPassword: '原密码',
    newPassword: '新密码', confirmPassword: '确认新密码', mismatch: '两次输入的密码不一致',
    changed: '密码已修改，其他设备上的登录已失效', orgPath: '机构路径',
  },
  orgType: {
    city: '市科协', district: '区县科协', street: '街道/镇乡', point: '教学点', society: '学会',
    base: '科普教育基地', unit: '企事业科协',
  },
  role: { admin: '系统管理员', org_admin: '机构管理员', staff: '工作人员', teacher: '教师', volunteer: '志愿者', reviewer: '评审专家' },
  scope: { all: '全部数据', subtree: '本级及下级', org: '仅本级', self: '仅本人' },
  action: { create: '新增', update: '修改', delete: '删除', move: '移动', password: '重置密码', login: '登录', logout: '退出' },
  entity: { org: '组织机构', user: '用户', activity: '活动', session: '会话' },
  reason: {
    ok: '成功', wrong_password: '密码错误', unknown_user: '用户不存在', locked: '账号已锁定',
    disabled: '账号已停用', too_many_attempts: '尝试次数过多',
  },
}
