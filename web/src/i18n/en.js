// English texts (the second language); keys mirror zh.js.
export default {
  app: { title: 'Kepu Science Popularization Platform', short: 'Kepu', subtitle: 'Management and services for science associations' },
  menu: {
    dashboard: 'Dashboard', activities: 'Activities', targets: 'Targets', forms: 'Report forms', dictionaries: 'Dictionaries',
    home: 'Home', orgs: 'Organizations', users: 'Users', audit: 'Audit log', logins: 'Login log',
    profile: 'Profile', logout: 'Log out', system: 'System', toggle: 'Menu',
  },
  common: {
    search: 'Search', reset: 'Reset', add: 'New', edit: 'Edit', delete: 'Delete', save: 'Save',
    cancel: 'Cancel', confirm: 'OK', actions: 'Actions', all: 'All', yes: 'Yes', no: 'No',
    saved: 'Saved', deleted: 'Deleted', tip: 'Notice', language: '中文', none: '—',
    loading: 'Loading…', required: 'Required', refresh: 'Refresh', details: 'Details',
    columns: 'Columns', columnsReset: 'Show all columns', selected: '{n} selected',
  },
  login: {
    title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in',
    usernameRequired: 'Enter your username', passwordRequired: 'Enter your password', failed: 'Sign-in failed',
  },
  home: {
    welcome: 'Welcome back, {name}', org: 'Organization', role: 'Role', scope: 'Data scope',
    orgCount: 'Visible organizations', userCount: 'Visible users', lastLogin: 'Latest login',
    quick: 'Shortcuts', intro: 'Manage the organizations, users and change records of your node and below.',
  },
  orgs: {
    tree: 'Organization tree', filter: 'Filter by name', details: 'Details', selectHint: 'Select an organization on the left',
    addChild: 'Add child', move: 'Move', name: 'Name', type: 'Type', code: 'Code', path: 'Path',
    parent: 'Parent', depth: 'Depth', children: 'Direct children', createdAt: 'Created', updatedAt: 'Updated',
    newParent: 'New parent', moveTitle: 'Move organization', moveHint: 'Move "{name}" with everything below it to:',
    moveConfirm: 'Move "{name}" under "{parent}"?', deleteConfirm: 'Delete "{name}"? This cannot be undone.',
    addTitle: 'Add a child of {parent}', editTitle: 'Edit organization', moved: 'Moved',
    nameRequired: 'Enter a name', typeRequired: 'Choose a type', codeRule: 'Code: 1–32 letters, digits, _ or -',
    parentRequired: 'Choose the new parent', id: 'ID',
  },
  users: {
    username: 'Username', name: 'Name', org: 'Organization', role: 'Role', scope: 'Data scope',
    active: 'Status', enabled: 'Active', disabled: 'Disabled', enable: 'Enable', disable: 'Disable',
    phone: 'Phone', email: 'E-mail', password: 'Initial password', lastLogin: 'Latest login',
    searchPlaceholder: 'Username or name', orgFilter: 'Filter by organization', createTitle: 'New user',
    editTitle: 'Edit user', resetPassword: 'Reset password', resetPrompt: 'New password for "{name}" (at least 10 characters)',
    resetDone: 'Password reset; the user must sign in again', toggleConfirm: '{action} user "{name}"?',
    passwordRule: 'At least 10 characters, not equal to the username', usernameRule: '3–32 letters, digits or _ . -',
    phoneRule: 'Enter a valid mobile number', emailRule: 'Enter a valid e-mail', orgRequired: 'Choose an organization',
  },
  audit: {
    at: 'Time', user: 'By', entity: 'Entity', entityId: 'Entity ID', action: 'Action',
    subject: 'Name', ip: 'IP address', requestId: 'Request ID', changes: 'Changes', field: 'Field',
    before: 'Before', after: 'After', dateRange: 'Dates', from: 'From', to: 'To',
    noChanges: 'No field changes',
  },
  logins: {
    at: 'Time', username: 'Username', success: 'Result', ok: 'Success', fail: 'Failure', reason: 'Reason',
    ip: 'IP address', userAgent: 'Client',
  },
  profile: {
    info: 'My information', edit: 'Edit profile', password: 'Change password', oldPassword: 'Current password',
    newPassword: 'New password', confirmPassword: 'Confirm new password', mismatch: 'The passwords do not match',
    changed: 'Password changed; your other sessions were signed out', orgPath: 'Organization path',
  },
  orgType: {
    city: 'City association', district: 'District association', street: 'Street / town', point: 'Teaching point',
    society: 'Society', base: 'Science education base', unit: 'Enterprise / institution association',
  },
  role: { admin: 'Administrator', org_admin: 'Org administrator', staff: 'Staff', teacher: 'Teacher', volunteer: 'Volunteer', reviewer: 'Reviewer' },
  scope: { all: 'All data', subtree: 'Own node and below', org: 'Own node only', self: 'Own records only' },
  action: { create: 'Create', update: 'Update', delete: 'Delete', move: 'Move', password: 'Password reset', login: 'Login', logout: 'Logout' },
  entity: { org: 'Organization', user: 'User', activity: 'Activity', session: 'Session' },
  reason: {
    ok: 'OK', wrong_password: 'Wrong password', unknown_user: 'Unknown user', locked: 'Account locked',
    disabled: 'Account disabled', too_many_attempts: 'Too many attempts',
  },
}
